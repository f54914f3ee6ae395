using LiveHost.Engine.Options;
using LiveHost.Host.Configuration;
using LiveHost.Speech;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace LiveHost.Host.Tests;

public sealed class LiveHostSettingsTests
{
    [Theory]
    [InlineData("Rooms:main:Fps", "24", "Rooms:main:Fps must be 25 or 30")]
    [InlineData("Rooms:main:AvSyncMarker", "true", "Rooms:main:AvSyncMarker needs Rooms:main:FrameStamp=true")]
    [InlineData("WebRtc:PlayoutDelayMaxMs", "45", "WebRtc:PlayoutDelayMinMs/PlayoutDelayMaxMs: the playout delay bounds must be multiples of 10 ms")]
    [InlineData("WebRtc:PlayoutDelayMinMs", "100", "the minimum playout delay (100 ms) must not exceed the maximum (0 ms)")]
    [InlineData("Rooms:main:Recording:RotateMinutes", "0", "Rooms:main:Recording:RotateMinutes must be from 0.05 to 1440")]
    [InlineData("Rooms:main:Recording:RetentionHours", "-1", "Rooms:main:Recording:RetentionHours must be from 0")]
    [InlineData("Rooms:main:Recording:MinFreeDiskMb", "-5", "Rooms:main:Recording:MinFreeDiskMb must not be negative")]
    [InlineData("Rooms:main:Width", "321", "Rooms:main:Width must be an even number")]
    [InlineData("Rooms:main:Height", "100000", "Rooms:main:Height")]
    [InlineData("Rooms:main:Language", "fr", "Rooms:main:Language")]
    [InlineData("Rooms:Main Room:Fps", "25", "a room name is 1 to 64 of a-z")]
    [InlineData("Rooms:main:Outputs:0:Url", "ftp://example/live", "Rooms:main:Outputs:0:Url")]
    [InlineData("Engine:MaxTextLength", "0", "Engine:MaxTextLength")]
    [InlineData("Engine:CutFadeMilliseconds", "500", "Engine:CutFadeMilliseconds")]
    [InlineData("Engine:LateTickMilliseconds", "1", "Engine:LateTickMilliseconds")]
    [InlineData("Engine:AudioLeadMilliseconds", "250", "Engine:AudioLeadMilliseconds must be 0 to 200 (was 250)")]
    [InlineData("Speech:RateWordsPerMinute", "10", "Speech:RateWordsPerMinute")]
    [InlineData("Storage:DataDirectory", " ", "Storage:DataDirectory")]
    [InlineData("Storage:Provider", "mysql", "Storage:Provider must be \"sqlite\" or \"postgres\" (was \"mysql\")")]
    [InlineData("Storage:Provider", "postgres", "Storage:ConnectionString must be set when Storage:Provider is \"postgres\"")]
    [InlineData("Rooms:main:Outputs:0:Url", "rtmp://169.254.169.254/live/k", "Rooms:main:Outputs:0:Url: Output host '169.254.169.254' is a cloud metadata service address")]
    [InlineData("Outputs:AllowedHosts:0", "10.0.0.0/40", "Outputs:AllowedHosts:0")]
    [InlineData("Rtmp:BackoffMin", "00:00:00", "Rtmp:BackoffMin must be positive")]
    [InlineData("Rtmp:SubscriberCapacity", "8", "Rtmp:SubscriberCapacity must be at least 16 frames")]
    [InlineData("Inference:MaxBatch", "0", "Inference:MaxBatch must be 1..256")]
    [InlineData("WebRtc:IceServers:0:Urls:0", "turns:turn.example.org", "WebRtc:IceServers:0: 'turns:turn.example.org': turns: (STUN/TURN over TLS) is not supported")]
    [InlineData("WebRtc:IceServers:0:Urls:0", "turn:turn.example.org", "WebRtc:IceServers:0: 'turn:turn.example.org:3478' is a TURN server: it needs username and credential")]
    [InlineData("WebRtc:IceGatherTimeoutSeconds", "0", "WebRtc:IceGatherTimeoutSeconds must be 1 to 10")]
    public void Each_invalid_setting_is_reported_by_name(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var errors = LiveHostSettings.Bind(configuration).Validate();

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_are_valid_and_give_one_room_named_main()
    {
        var settings = LiveHostSettings.Load(new ConfigurationBuilder().Build());
        Assert.Equal(["main"], settings.Rooms.Keys);
    }

    [Fact]
    public void The_shipped_appsettings_json_says_exactly_what_the_defaults_are()
    {
        var file = Path.Combine(RepositoryRoot(), "src", "LiveHost.Host", "appsettings.json");
        var shipped = LiveHostSettings.Load(new ConfigurationBuilder().AddJsonFile(file).Build());

        AssertSameProperties(new EngineOptions(), shipped.Engine);
        AssertSameProperties(new SpeechOptions(), shipped.Speech);
        AssertSameProperties(new LiveHost.WebRtc.WebRtcOptions(), shipped.WebRtc);
        AssertSameProperties(new LiveHost.Host.Avatars.AvatarHostOptions(), shipped.Avatars);
        AssertSameProperties(new LiveHost.Encoding.EncoderOptions(), shipped.Encoder);
        AssertSameProperties(new LiveHost.Rtmp.Network.OutputNetworkOptions(), shipped.Outputs);
        AssertSameProperties(new JournalOptions(), shipped.Storage);
        AssertSameProperties(new LiveHost.Rtmp.RtmpOutputOptions(), shipped.Rtmp);
        AssertSameProperties(new LiveHost.Inference.InferenceOptions(), shipped.Inference);
        var main = Assert.Single(shipped.Rooms);
        Assert.Equal("main", main.Key);
        AssertSameProperties(new RoomOptions(), main.Value);
        Assert.Equal("data", shipped.DataDirectory);
    }

    [Fact]
    public async Task An_invalid_configuration_stops_the_start_with_every_problem_listed()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", Path.Combine(Path.GetTempPath(), "livehost-never-" + Guid.NewGuid().ToString("N")));
            b.UseSetting("Rooms:main:Fps", "24");
            b.UseSetting("Engine:MaxQueueLength", "-1");
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        var invalid = Assert.IsType<InvalidConfigurationException>(error.GetBaseException());
        Assert.Contains(invalid.Errors, e => e.Contains("Rooms:main:Fps", StringComparison.Ordinal));
        Assert.Contains(invalid.Errors, e => e.Contains("Engine:MaxQueueLength", StringComparison.Ordinal));
    }

    private static void AssertSameProperties<T>(T expected, T actual)
    {
        foreach (var property in typeof(T).GetProperties())
        {
            var e = property.GetValue(expected);
            var a = property.GetValue(actual);
            if (e is System.Collections.IEnumerable list && e is not string)
            {
                Assert.Equal(list.Cast<object>(), ((System.Collections.IEnumerable)a!).Cast<object>());
            }
            else
            {
                Assert.True(Equals(e, a), $"{typeof(T).Name}.{property.Name}: default {e}, appsettings.json {a}");
            }
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveHost.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LiveHost.sln not found above " + AppContext.BaseDirectory);
    }
}
