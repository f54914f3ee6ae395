using System.Net;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Foundation;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using LiveHost.WebRtc;
using LiveHost.WebRtc.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// The WebRTC send-and-encrypt path for N viewers of one room. First a real room (<see cref="LiveRoom"/> at 1280x720,
/// speaking, with the product's <see cref="WebRtcService"/>) has its packet stream recorded from its rings; then, with
/// the room gone, that stream is replayed at real time into the product's rings and N viewers, each with its own SRTP
/// context and the product's <see cref="LiveHost.WebRtc.Sessions.ViewerMediaSender"/>, send it over the product's <see cref="UdpMux"/>
/// to N loopback sockets that one thread drains. Taking the room out leaves only the fan-out in the CPU figures.
/// </summary>
public sealed class FanoutCommand : IBenchmarkCommand
{
    public string Name => "webrtc-fanout";
    public string Summary => "WebRTC viewers per core: the per-viewer copy + SRTP + send path for N viewers of one room on loopback";
    public string Usage => FanoutOptions.Usage;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var options = FanoutOptions.From(arguments);
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        Console.WriteLine($"webrtc-fanout: viewers {string.Join(",", options.Viewers)}, {options.Seconds} s each, {options.Profile}, batch {options.Batch}, gso {(options.Segmentation ? "on" : "off")}, on {machine.CpuModel} ({machine.LogicalCores} cores)");
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

        var recording = await RecordRoomAsync(options, loggers, cancellationToken);
        var batches = recording.Batches;
        var videoPackets = batches.SelectMany(b => b.Packets).Where(p => p.IsVideo).ToArray();
        var audioCount = batches.Sum(b => b.Packets.Count(p => !p.IsVideo));
        var videoKbps = videoPackets.Sum(p => p.Bytes.Length) * 8 / recording.DurationSeconds / 1000;
        Console.WriteLine($"recorded {recording.DurationSeconds:0.0} s: {videoPackets.Length} video packets ({videoKbps:0} kbit/s), {audioCount} audio packets, {batches.Count} nudges");

        using var mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), loggers.CreateLogger<UdpMux>(), options.Segmentation);
        using var feed = new RecordedRoomFeed(recording);
        feed.Start();
        var samples = new List<FanoutSample>();
        FanoutSample? baseline = null;
        foreach (var n in options.Viewers)
        {
            var sample = await MeasureAsync(n, options, mux, feed, baseline, cancellationToken);
            baseline ??= sample;
            samples.Add(sample);
            Console.WriteLine(FanoutReport.Row(sample));
        }

        var result = new FanoutResult(startedAt, options, machine, recording.DurationSeconds, videoPackets.Length, audioCount, videoKbps, samples);
        var (markdown, json) = await FanoutReport.WriteAsync(result, cancellationToken);
        Console.WriteLine();
        Console.Write(FanoutReport.Summary(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    /// <summary>N of the product's viewers of the feed over the port, measured (the fan-out figures).</summary>
    internal static async Task<FanoutSample> MeasureAsync(int viewers, FanoutOptions options, UdpMux mux, RecordedRoomFeed feed, FanoutSample? baseline, CancellationToken cancellationToken)
    {
        using var sink = new LoopbackSink(viewers);
        var list = Enumerable.Range(0, viewers)
            .Select(i => new FanoutViewer(feed, options.QueuePackets, mux, sink.Addresses[i], options.Profile, options.Batch)).ToArray();
        var loops = list.Select(v => Task.Run(v.RunAsync, CancellationToken.None)).ToArray();
        foreach (var viewer in list) feed.AddViewer(viewer);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.WarmUpSeconds), cancellationToken);
            var a = FanoutReading.Take(list, sink, mux, feed);
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            var b = FanoutReading.Take(list, sink, mux, feed);
            return FanoutSample.From(viewers, a, b, baseline);
        }
        finally
        {
            feed.RemoveViewers(list);
            foreach (var viewer in list) viewer.Stop();
            await Task.WhenAll(loops);
            foreach (var viewer in list) viewer.Dispose();
        }
    }

    /// <summary>Runs a real room, makes it speak, and records what its WebRTC stream puts in the rings.</summary>
    internal static async Task<RoomPacketRecording> RecordRoomAsync(FanoutOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("livehost-fanout-");
        try
        {
            using var store = new SqliteLineStore(Path.Combine(data.FullName, "livehost.db"));
            await using var journal = new StorageJournal(store, store, new JournalOptions(), TimeProvider.System, loggers.CreateLogger<StorageJournal>());
            using var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), loggers.CreateLogger<EspeakSynthesizer>());
            await using var webRtc = new WebRtcService(new WebRtcOptions(), TimeProvider.System, loggers);
            var room = new LiveRoom("fanout", new RoomOptions { Width = 1280, Height = 720, Fps = 25 }, journal, speech, new NullRoomEvents(),
                new EngineOptions(), loggers, TimeProvider.System, webRtc);
            try
            {
                Console.WriteLine("starting a 1280x720 room and making it speak...");
                await room.StartAsync(cancellationToken);
                room.StartTicking();
                // Speech for longer than the recording: a talking presenter with captions, the stream viewers really get.
                foreach (var line in LineScript.Create(50, seed: 7).Take(24))
                {
                    await room.Controller.EnqueueAsync(new LineRequest(room.Name, line.Text, line.Language, line.Voice, Tag: "fanout"), cancellationToken);
                }
                var stream = room.WebRtc ?? throw new InvalidOperationException("the room has no WebRTC stream");
                await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);
                var recording = new RoomPacketRecording(stream);
                recording.Start();
                Console.WriteLine($"recording {options.RecordSeconds} s of the room's RTP...");
                await Task.Delay(TimeSpan.FromSeconds(options.RecordSeconds), cancellationToken);
                recording.Stop();
                return recording;
            }
            finally
            {
                await room.DisposeAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }
}
