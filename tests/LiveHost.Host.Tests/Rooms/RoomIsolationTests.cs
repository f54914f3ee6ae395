using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveHost.Avatars;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>
/// Four rooms at once on the real host (espeak-ng, SkiaSharp, the in-process encoder, RTMP to nginx-rtmp), each with its
/// own presenter, voice, language and line: each RTMP output carries its own room's audio and presenter only, one
/// room's events reach only its subscribers, and one room's encoder ending leaves the other three on air.
/// </summary>
public sealed class RoomIsolationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "isolation-admin-key-0123456789";

    private static readonly (string Name, string Language, string Avatar, string Voice, string Text, SKColor Jacket)[] Rooms =
    [
        ("r1", "en", "cartoon", "en-us", "Welcome to room one, where the kettle boils water in ninety seconds flat.", CartoonLook.Classic.Jacket),
        ("r2", "en", "cartoon-b", "en-gb", "Room two here: our wool scarves come in seven colours and three lengths.", CartoonLook.Second.Jacket),
        ("r3", "en", "cartoon-fullbody", "en-us-f", "This is room three, showing running shoes with a very light sole today.", CartoonLook.FullBody.Jacket),
        ("r4", "zh", "cartoon-b", "cmn", "这里是第四个直播间，今天的保温杯买一送一。", CartoonLook.Second.Jacket),
    ];

    private readonly string _data = Directory.CreateTempSubdirectory("livehost-isolation-").FullName;
    private readonly ConcurrentDictionary<string, PcmRecorder> _pcm = new(StringComparer.Ordinal);
    private NginxRtmpServer _nginx = null!;
    private WebApplicationFactory<Program> _host = null!;

    public async Task InitializeAsync()
    {
        _nginx = await NginxRtmpServer.StartNewAsync();
        _host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Outputs:AllowPrivateNetworks", "true");
            b.UseSetting("Auth:Keys:0:Key", Key);
            b.UseSetting("Auth:Keys:0:Role", "admin");
            b.UseSetting("Auth:Keys:0:Name", "isolation");
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "180");
            foreach (var room in Rooms)
            {
                b.UseSetting($"Rooms:{room.Name}:Language", room.Language);
                b.UseSetting($"Rooms:{room.Name}:Width", "320");
                b.UseSetting($"Rooms:{room.Name}:Height", "180");
                b.UseSetting($"Rooms:{room.Name}:Avatar", room.Avatar);
                b.UseSetting($"Rooms:{room.Name}:Outputs:0:Url", _nginx.RtmpUrl(room.Name));
            }
        });
        _ = _host.Server;
        foreach (var room in _host.Services.GetRequiredService<LiveRooms>().All)
        {
            var recorder = _pcm.GetOrAdd(room.Name, _ => new PcmRecorder());
            room.Engine.Statistics.TickRecorded += recorder.Record;
        }
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _nginx.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Four_rooms_keep_their_audio_presenter_and_events_to_themselves_and_one_encoder_ending_leaves_the_others_on_air()
    {
        var rooms = _host.Services.GetRequiredService<LiveRooms>().All.Where(r => r.Name.StartsWith('r')).OrderBy(r => r.Name).ToArray();
        Assert.Equal(4, rooms.Length);
        await using var onlyR1 = await ConnectAsync();
        var r1Events = new ConcurrentQueue<string>();
        foreach (var name in new[] { "LineQueued", "LineStarted", "LineFinished" }) onlyR1.On<Line>(name, l => r1Events.Enqueue(l.Room));
        onlyR1.On<RoomState>("StateChanged", s => r1Events.Enqueue(s.Room));
        await onlyR1.InvokeAsync("Unsubscribe", "main");
        await onlyR1.InvokeAsync<RoomState>("Subscribe", "r1");

        await using var all = await ConnectAsync();
        var started = Rooms.ToDictionary(r => r.Name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        all.On<Line>("LineStarted", l => { if (started.TryGetValue(l.Room, out var s)) s.TrySetResult(); });
        foreach (var room in Rooms) await all.InvokeAsync<RoomState>("Subscribe", room.Name);

        // Every room speaks its own line, twice, so each is on air while its output is read.
        foreach (var room in Rooms)
        {
            for (var i = 0; i < 2; i++) await all.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(room.Name, room.Text, room.Language, room.Voice));
        }
        await Task.WhenAll(started.Values.Select(s => s.Task)).WaitAsync(TimeSpan.FromSeconds(30));

        // Room r4's encoder ends; the other three must stay on air.
        await rooms[3].Encoder.DisposeAsync();

        var pulls = Rooms.Take(3).Select(r => FfmpegTools.PullAudioAsync(_nginx.RtmpUrl(r.Name), 3)).ToArray();
        var frames = Rooms.Take(3).Select(r => PullFrameAsync(_nginx.RtmpUrl(r.Name))).ToArray();
        var audio = await Task.WhenAll(pulls);
        var pictures = await Task.WhenAll(frames);

        for (var i = 0; i < 3; i++)
        {
            var scores = Rooms.Select(r => AudioMatch.BestCorrelation(audio[i], _pcm[r.Name].Snapshot16k())).ToArray();
            output.WriteLine($"{Rooms[i].Name} output vs rooms' speech: {string.Join(", ", scores.Select((s, j) => $"{Rooms[j].Name} {s:0.00}"))}");
            Assert.True(scores[i] > 0.5, $"{Rooms[i].Name}'s output does not carry its own speech (correlation {scores[i]:0.00})");
            for (var j = 0; j < Rooms.Length; j++)
            {
                if (j != i) Assert.True(scores[j] < 0.2, $"{Rooms[i].Name}'s output correlates {scores[j]:0.00} with {Rooms[j].Name}'s speech");
            }
            var chest = ChestColour(pictures[i], Rooms[i].Avatar);
            var own = Distance(chest, Rooms[i].Jacket);
            output.WriteLine($"{Rooms[i].Name} chest {chest}, own jacket {Rooms[i].Jacket} at {own:0}");
            Assert.True(own < 45, $"{Rooms[i].Name} shows {chest} where its presenter's jacket {Rooms[i].Jacket} is");
            foreach (var other in CartoonLook.ById.Values.Where(l => l.Jacket != Rooms[i].Jacket))
            {
                Assert.True(Distance(chest, other.Jacket) > own, $"{Rooms[i].Name} shows {chest}, nearer {other.Id}'s jacket than its own");
            }
        }
        Assert.All(rooms.Take(3), r => Assert.Null(r.StoppedReason));

        // Only r1's events reached the client subscribed to r1 alone (r1's own lines started and finished meanwhile).
        var seen = r1Events.ToArray();
        Assert.Contains("r1", seen);
        Assert.All(seen, room => Assert.Equal("r1", room));
    }

    private async Task<HubConnection> ConnectAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.Server.BaseAddress, "/hubs/control"), o =>
            {
                o.HttpMessageHandlerFactory = _ => _host.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(Key);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static async Task<byte[]> PullFrameAsync(string url)
    {
        var (exitCode, stdout, stderr) = await FfmpegTools.RunAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-rw_timeout", "5000000", "-i", url, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgra", "-"],
            TimeSpan.FromSeconds(20));
        if (exitCode != 0) throw new InvalidOperationException($"ffmpeg pulling a frame from {url} exited with {exitCode}: {stderr.Trim()}");
        return stdout;
    }

    // The mean colour of the presenter's chest in a 320x180 frame, framed as the look frames it.
    private static SKColor ChestColour(byte[] bgra, string avatar)
    {
        var look = CartoonLook.ById[avatar];
        var layout = CartoonLayout.For(320, 180, look.Framing);
        return FrameColours.Mean(bgra, 320, look.Framing == CartoonFraming.FullBody
            ? layout.ToPixels(new SKRect(-150, -320, -90, -200))
            : layout.ToPixels(new SKRect(-250, -320, -150, -150)));
    }

    private static double Distance(SKColor a, SKColor b) => FrameColours.Distance(a, b);

    /// <summary>Every sample a room's engine hands its encoder (48 kHz), kept for comparison with what its output carries.</summary>
    private sealed class PcmRecorder
    {
        private readonly Lock _gate = new();
        private readonly List<short> _samples = [];

        public void Record(in RoomStatistics.TickTiming timing, ReadOnlySpan<short> samples)
        {
            lock (_gate) _samples.AddRange(samples);
        }

        /// <summary>The last 20 s, at 16 kHz (averaging 3 samples), as the output is read.</summary>
        public short[] Snapshot16k()
        {
            short[] all;
            lock (_gate) all = [.. _samples.Skip(Math.Max(0, _samples.Count - 48_000 * 20))];
            var result = new short[all.Length / 3];
            for (var i = 0; i < result.Length; i++) result[i] = (short)((all[3 * i] + all[3 * i + 1] + all[3 * i + 2]) / 3);
            return result;
        }
    }
}
