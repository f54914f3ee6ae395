using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveHost.Avatars;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using LiveHost.Host.Rooms;
using LiveHost.TestSupport;
using LiveHost.WebRtc.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>
/// Four rooms at once on the real host (espeak-ng, SkiaSharp, the in-process encoder, RTMP to nginx-rtmp, WHEP), each
/// with its own presenter, voice, language, line and product card (its own image colour): each RTMP output and each
/// room's WebRTC viewer (the managed WHEP viewer, Opus decoded in process, a keyframe decoded by ffmpeg) carries its own
/// room's audio, presenter, caption and card only, one room's events reach only its subscribers, and one room's encoder
/// ending leaves the other three on air.
/// </summary>
public sealed class RoomIsolationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "isolation-admin-key-0123456789";

    // The first 3 s (20 ms Opus frames) each WebRTC viewer receives after it connects, as long as the RTMP audio read.
    private const int OpusPackets = 150;

    private static readonly (string Name, string Language, string Avatar, string Voice, string Text, SKColor Jacket, SKColor Card)[] Rooms =
    [
        ("r1", "en", "cartoon", "en-us", "Welcome to room one, where the kettle boils water in ninety seconds flat.", CartoonLook.Classic.Jacket, new SKColor(220, 30, 30)),
        ("r2", "en", "cartoon-b", "en-gb", "Room two here: our wool scarves come in seven colours and three lengths.", CartoonLook.Second.Jacket, new SKColor(30, 170, 40)),
        ("r3", "en", "cartoon-fullbody", "en-us-f", "This is room three, showing running shoes with a very light sole today.", CartoonLook.FullBody.Jacket, new SKColor(30, 60, 230)),
        ("r4", "zh", "cartoon-b", "cmn", "这里是第四个直播间，今天的保温杯买一送一。", CartoonLook.Second.Jacket, new SKColor(240, 200, 20)),
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
        ShowOwnProducts();

        // Every room speaks its own line, twice, so each is on air while its output is read.
        foreach (var room in Rooms)
        {
            for (var i = 0; i < 2; i++) await all.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(room.Name, room.Text, room.Language, room.Voice));
        }
        await Task.WhenAll(started.Values.Select(s => s.Task)).WaitAsync(TimeSpan.FromSeconds(30));

        // Room r4's encoder ends; the other three must stay on air.
        await rooms[3].Encoder.DisposeAsync();

        // One WHEP viewer per remaining room, recording its Opus audio and H.264 packets while RTMP is read.
        using var whep = _host.CreateClient();
        var viewers = await Task.WhenAll(Rooms.Take(3).Select(r => ManagedViewer.ConnectAsync(whep, r.Name, recordMedia: true)));
        foreach (var viewer in viewers) viewer.SendPli(); // a keyframe encoded now, with the card on, not the one from before
        try
        {
            var pulls = Rooms.Take(3).Select(r => FfmpegTools.PullAudioAsync(_nginx.RtmpUrl(r.Name), 3)).ToArray();
            var frames = Rooms.Take(3).Select(r => PullFrameAsync(_nginx.RtmpUrl(r.Name))).ToArray();
            await Task.WhenAll(viewers.Select(v => v.WaitForMediaAsync(OpusPackets, 2, TimeSpan.FromSeconds(30))));
            var audio = await Task.WhenAll(pulls);
            var pictures = await Task.WhenAll(frames);
            var captions = rooms.Take(3).Select(r => ((CompositorFrameComposer)r.Composer).Compositor.LastCaptionBox).ToArray();
            var webRtcPictures = await Task.WhenAll(viewers.Select(v => DecodeKeyframeAsync(v.LastKeyframeAnnexB())));

            for (var i = 0; i < 3; i++)
            {
                var card = ((CompositorFrameComposer)rooms[i].Composer).Compositor.CardOverlay.LastBox;
                AssertOwnAudio("RTMP", i, audio[i]);
                AssertOwnPicture("RTMP", i, pictures[i], card);
                AssertOwnAudio("WebRTC", i, PcmRecorder.To16k(viewers[i].DecodedAudio(OpusPackets)));
                AssertOwnPicture("WebRTC", i, webRtcPictures[i], card);
            }
            AssertCaptionsDiffer(pictures, captions);
        }
        finally
        {
            foreach (var viewer in viewers) await viewer.DisposeAsync();
        }
        Assert.All(rooms.Take(3), r => Assert.Null(r.StoppedReason));

        // Only r1's events reached the client subscribed to r1 alone (r1's own lines started and finished meanwhile).
        var seen = r1Events.ToArray();
        Assert.Contains("r1", seen);
        Assert.All(seen, room => Assert.Equal("r1", room));
    }

    // Each room shows its own product, whose image is a plain square of the room's card colour.
    private void ShowOwnProducts()
    {
        var library = _host.Services.GetRequiredService<ShowLibrary>();
        foreach (var room in Rooms)
        {
            var product = library.Products.Save(new Product(null, "Item " + room.Name, 10m, "USD"));
            using var bitmap = new SKBitmap(64, 64);
            bitmap.Erase(room.Card);
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            library.Products.SetImage(product.Id!, png.ToArray());
            library.ShowProduct(room.Name, product.Id, countdownSeconds: null);
        }
    }

    private void AssertOwnAudio(string kind, int i, short[] received)
    {
        var scores = Rooms.Select(r => AudioMatch.BestCorrelation(received, _pcm[r.Name].Snapshot16k())).ToArray();
        output.WriteLine($"{Rooms[i].Name} {kind} ({received.Length / 16_000.0:0.0} s) vs rooms' speech: {string.Join(", ", scores.Select((s, j) => $"{Rooms[j].Name} {s:0.00}"))}");
        Assert.True(scores[i] > 0.5, $"{Rooms[i].Name}'s {kind} output does not carry its own speech (correlation {scores[i]:0.00})");
        for (var j = 0; j < Rooms.Length; j++)
        {
            if (j != i) Assert.True(scores[j] < 0.2, $"{Rooms[i].Name}'s {kind} output correlates {scores[j]:0.00} with {Rooms[j].Name}'s speech");
        }
    }

    // The presenter's jacket and the product card's image are the room's own, nearer them than any other room's.
    private void AssertOwnPicture(string kind, int i, byte[] bgra, SKRect card)
    {
        var chest = ChestColour(bgra, Rooms[i].Avatar);
        var own = Distance(chest, Rooms[i].Jacket);
        output.WriteLine($"{Rooms[i].Name} {kind} chest {chest}, own jacket {Rooms[i].Jacket} at {own:0}");
        Assert.True(own < 45, $"{Rooms[i].Name}'s {kind} shows {chest} where its presenter's jacket {Rooms[i].Jacket} is");
        foreach (var other in CartoonLook.ById.Values.Where(l => l.Jacket != Rooms[i].Jacket))
        {
            Assert.True(Distance(chest, other.Jacket) > own, $"{Rooms[i].Name}'s {kind} shows {chest}, nearer {other.Id}'s jacket than its own");
        }

        // The card's image: centred at the top of the card, below its padding (6 % of the card's width).
        var pad = card.Width * 0.06f;
        var image = FrameColours.Mean(bgra, 320, new SKRect(card.MidX - 8, card.Top + pad + 6, card.MidX + 8, card.Top + pad + 22));
        var ownCard = Distance(image, Rooms[i].Card);
        output.WriteLine($"{Rooms[i].Name} {kind} card image {image} in {card}, own {Rooms[i].Card} at {ownCard:0}");
        Assert.True(ownCard < 45, $"{Rooms[i].Name}'s {kind} card shows {image}, not its product's {Rooms[i].Card}");
        foreach (var other in Rooms.Where(r => r.Name != Rooms[i].Name))
        {
            Assert.True(Distance(image, other.Card) > 3 * ownCard, $"{Rooms[i].Name}'s {kind} card shows {image}, near {other.Name}'s product {other.Card}");
        }
    }

    // Each room's caption box holds text (white on the dark box), and the text differs from every other room's.
    private void AssertCaptionsDiffer(byte[][] pictures, SKRect[] boxes)
    {
        var union = boxes.Aggregate(SKRect.Union);
        var masks = pictures.Select((p, i) => FrameColours.WhiteMask(p, 320, boxes[i], union)).ToArray();
        for (var i = 0; i < masks.Length; i++)
        {
            var text = masks[i].Count(b => b);
            output.WriteLine($"{Rooms[i].Name} caption box {boxes[i]}: {text} white pixels");
            Assert.True(text >= 30, $"{Rooms[i].Name}'s caption box {boxes[i]} holds {text} white pixels: no caption");
            for (var j = 0; j < i; j++)
            {
                var differ = masks[i].Zip(masks[j]).Count(p => p.First != p.Second);
                var either = masks[i].Zip(masks[j]).Count(p => p.First || p.Second);
                output.WriteLine($"{Rooms[i].Name} vs {Rooms[j].Name} caption pixels differing: {differ} of {either}");
                Assert.True(differ > either / 3, $"{Rooms[i].Name}'s caption looks like {Rooms[j].Name}'s ({differ} of {either} text pixels differ)");
            }
        }
    }

    private static async Task<byte[]> DecodeKeyframeAsync(byte[]? annexB)
    {
        Assert.True(annexB is not null, "no whole keyframe reached the WebRTC viewer");
        var file = Path.Combine(Path.GetTempPath(), $"livehost-isolation-{Guid.NewGuid():N}.h264");
        await File.WriteAllBytesAsync(file, annexB);
        try
        {
            var (exitCode, stdout, stderr) = await FfmpegTools.RunAsync("ffmpeg",
                ["-hide_banner", "-loglevel", "error", "-f", "h264", "-i", file, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgra", "-"],
                TimeSpan.FromSeconds(20));
            if (exitCode != 0 || stdout.Length != 320 * 180 * 4) throw new InvalidOperationException($"ffmpeg decoding the WebRTC keyframe exited with {exitCode} ({stdout.Length} bytes): {stderr.Trim()}");
            return stdout;
        }
        finally
        {
            File.Delete(file);
        }
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
            return To16k(all);
        }

        /// <summary>48 kHz to 16 kHz, averaging 3 samples.</summary>
        public static short[] To16k(short[] all)
        {
            var result = new short[all.Length / 3];
            for (var i = 0; i < result.Length; i++) result[i] = (short)((all[3 * i] + all[3 * i + 1] + all[3 * i + 2]) / 3);
            return result;
        }
    }
}
