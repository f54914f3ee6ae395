using LiveHost.Inference.Audio;
using Xunit.Abstractions;

namespace LiveHost.Inference.Tests.Audio;

public sealed class MelSpectrogramTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-3f;

    [Fact]
    public void Spectrogram_matches_the_python_reference_fixture()
    {
        var wav = Fixtures.ReadFloats("melspec_wav16k.f32");
        var expected = Fixtures.ReadFloats("melspec_mel.f32");
        Assert.Equal(80 * MelSpectrogram.ColumnCount(wav.Length), expected.Length);

        var actual = new MelSpectrogram().Compute(wav);

        var worst = MaxAbsDifference(expected, actual);
        output.WriteLine($"max |C# - python| = {worst:E2} over {expected.Length} values");
        Assert.True(worst < Tolerance, $"max difference {worst} exceeds {Tolerance}");
        // The fixture is not trivially flat: silence at the start (-4) and loud chirp columns.
        Assert.Contains(expected, v => v <= -3.99f);
        Assert.Contains(expected, v => v > 1f);
    }

    [Fact]
    public void Resampler_matches_the_python_reference_fixture()
    {
        var wav48 = Fixtures.ReadFloats("melspec_wav48k.f32");
        var expected = Fixtures.ReadFloats("melspec_wav16k.f32");
        var actual = new float[Resampler48kTo16k.OutputLength(wav48.Length)];

        new Resampler48kTo16k().Resample(wav48, actual);

        Assert.Equal(expected.Length, actual.Length);
        var worst = MaxAbsDifference(expected, actual);
        output.WriteLine($"max |C# - python| resampled = {worst:E2}");
        Assert.True(worst < 1e-5, $"max difference {worst}");
    }

    [Theory]
    [InlineData(MelWindowAlignment.StartsAtFrame, 10)]
    [InlineData(MelWindowAlignment.StartsAtFrame, 40)]
    [InlineData(MelWindowAlignment.CenteredOnFrame, 30)]
    [InlineData(MelWindowAlignment.CenteredOnFrame, 60)]
    public void Streaming_window_from_48k_audio_matches_the_offline_columns(MelWindowAlignment alignment, int column)
    {
        var wav48 = Fixtures.ReadFloats("melspec_wav48k.f32");
        var mel = Fixtures.ReadFloats("melspec_mel.f32");
        var columns = mel.Length / 80;
        // The avatar's buffer: 200 ms before the frame and 200 ms from it on, cut out of the utterance.
        const int context = 9600;
        var frameSample = column * 600;
        var buffer = new float[2 * context];
        for (var i = 0; i < buffer.Length; i++)
        {
            var s = frameSample - context + i;
            buffer[i] = s >= 0 && s < wav48.Length ? wav48[s] : 0f;
        }
        var window = new float[MelParameters.WindowLength];

        new MelWindowExtractor().ComputeForFrame(buffer, context, alignment, window);

        var first = alignment == MelWindowAlignment.CenteredOnFrame ? column - 8 : column;
        // Wav2Lip's window reaches 12.5 ms past the avatar's 200 ms look-ahead, so its last column is only approximate.
        var exactColumns = alignment == MelWindowAlignment.StartsAtFrame ? 15 : 16;
        var worst = 0f;
        for (var b = 0; b < 80; b++)
        {
            for (var j = 0; j < exactColumns; j++)
                worst = Math.Max(worst, Math.Abs(mel[(b * columns) + first + j] - window[(b * 16) + j]));
        }
        Assert.True(worst < Tolerance, $"max difference {worst}");
    }

    [Fact]
    public void Silence_maps_to_the_floor_everywhere()
    {
        var window = new float[MelParameters.WindowLength];
        new MelWindowExtractor().ComputeForFrame(new float[19200], 9600, MelWindowAlignment.CenteredOnFrame, window);
        Assert.All(window, v => Assert.Equal(MelParameters.Floor, v));
    }

    [Fact]
    public void Whole_spectrogram_into_a_caller_span_allocates_nothing()
    {
        var wav = Fixtures.ReadFloats("melspec_wav16k.f32");
        var mel = new MelSpectrogram();
        var destination = new float[80 * MelSpectrogram.ColumnCount(wav.Length)];
        mel.Compute(wav, destination);

        var before = GC.GetAllocatedBytesForCurrentThread();
        mel.Compute(wav, destination);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Too_short_input_and_small_destination_are_refused()
    {
        var mel = new MelSpectrogram();
        Assert.Throws<ArgumentException>(() => mel.Compute(new float[400], new float[80 * 3]));
        Assert.Throws<ArgumentException>(() => mel.Compute(new float[1000], new float[80 * 5]));
    }

    private static float MaxAbsDifference(float[] expected, float[] actual)
    {
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        return worst;
    }
}
