using LiveHost.Speech;
using LiveHost.Speech.Espeak;
using System.Runtime.InteropServices;

namespace LiveHost.Speech.Tests;

public sealed class SpeechOptionsTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new SpeechOptions().Validate());

    [Theory]
    [InlineData(79, 50, 100, 60, "RateWordsPerMinute")]
    [InlineData(451, 50, 100, 60, "RateWordsPerMinute")]
    [InlineData(175, 101, 100, 60, "Pitch")]
    [InlineData(175, 50, 201, 60, "Volume")]
    [InlineData(175, 50, 100, 5, "BufferMilliseconds")]
    public void BadValue_IsNamed(int rate, int pitch, int volume, int buffer, string setting)
    {
        var options = new SpeechOptions { RateWordsPerMinute = rate, Pitch = pitch, Volume = volume, BufferMilliseconds = buffer };
        var error = Assert.Single(options.Validate());
        Assert.Contains(setting, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DataPathWithoutEspeakData_IsRejected()
    {
        var options = new SpeechOptions { DataPath = Path.GetTempPath() };
        Assert.Contains("espeak-ng-data", Assert.Single(options.Validate()), StringComparison.Ordinal);
        Assert.Empty(new SpeechOptions { DataPath = "/usr/lib/x86_64-linux-gnu" }.Validate());
    }

    [Fact]
    public void EspeakEvent_HasTheCLayout()
    {
        Assert.Equal(40, Marshal.SizeOf<EspeakEvent>());
        Assert.Equal(20, (int)Marshal.OffsetOf<EspeakEvent>(nameof(EspeakEvent.Sample)));
        Assert.Equal(24, (int)Marshal.OffsetOf<EspeakEvent>(nameof(EspeakEvent.UserData)));
        Assert.Equal(32, (int)Marshal.OffsetOf<EspeakEvent>(nameof(EspeakEvent.Id)));
    }
}
