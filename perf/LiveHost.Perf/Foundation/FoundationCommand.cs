using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Host.Avatars;
using LiveHost.Host.Rooms;
using LiveHost.Inference;
using LiveHost.Inference.Onnx;
using LiveHost.Perf.Avatars;
using LiveHost.Encoding;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.Perf.Foundation;

/// <summary>
/// The room pipeline end to end, with the product's own parts: <see cref="LiveRoom"/> as the host builds it
/// (SQLite line store, one shared espeak-ng synthesizer, the SkiaSharp cartoon compositor, the ffmpeg libx264 + AAC
/// encoder, the real-time engine loop and the room controller), minus RTMP outputs, which are replaced by watching the
/// room's encoded stream directly.
/// </summary>
public sealed class FoundationCommand : IBenchmarkCommand
{
    public string Name => "foundation";
    public string Summary => "cue-to-first-audio and cue-to-first-encoded-frame latency, per-frame time split, CPU per room";
    public string Usage => FoundationOptions.Usage;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var options = FoundationOptions.From(arguments);
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        Console.WriteLine($"foundation: {options.Rooms} room(s) × {options.Lines} lines at {options.Width}x{options.Height}@{options.Fps} on {machine.CpuModel} ({machine.LogicalCores} cores)");

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var data = Directory.CreateTempSubdirectory("livehost-perf-");
        try
        {
            using var store = new SqliteLineStore(Path.Combine(data.FullName, "livehost.db"));
            await using var journal = new StorageJournal(store, store, new JournalOptions(), TimeProvider.System, loggers.CreateLogger<StorageJournal>());
            using var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), loggers.CreateLogger<EspeakSynthesizer>());
            var espeakThread = ProcFs.OwnThreads("espeak-ng").Single();
            var scripts = Enumerable.Range(0, options.Rooms).Select(r => LineScript.Create(options.Lines, options.Seed + r)).ToArray();

            Console.WriteLine("calibrating TTS (every line of room 1, synthesized alone)...");
            await TtsCalibration.RunAsync(speech, espeakThread, scripts[0].Take(4), cancellationToken); // loads both voices
            var tts = await TtsCalibration.RunAsync(speech, espeakThread, scripts[0], cancellationToken);

            var engineOptions = new EngineOptions { AudioLeadMilliseconds = options.EngineAudioLead };
            // --avatar realistic: the host's own AvatarFactory showing a consented package (built here) in every room.
            using var package = options.Avatar == FoundationOptions.Realistic
                ? await RealisticTestPackage.BuildAsync(options.Width, 4, null, cancellationToken) : null;
            using var models = new OnnxModelHost(Options.Create(new InferenceOptions { PreferGpu = false }), loggers);
            var avatars = package is null ? null : new AvatarFactory(
                new AvatarHostOptions { TrustedKeys = { [RealisticTestPackage.KeyId] = package.PublicKeyPath } },
                package.Verifier, models, engineOptions, TimeProvider.System, loggers);
            var probes = new List<RoomProbe>();
            var processes = new List<RoomProcesses>();
            var rooms = new List<LiveRoom>();
            try
            {
                for (var r = 0; r < options.Rooms; r++)
                {
                    var probe = new RoomProbe();
                    var roomOptions = new RoomOptions { Language = r % 2 == 0 ? "en" : "zh", Width = options.Width, Height = options.Height, Fps = options.Fps };
                    if (package is not null) roomOptions.Avatar = package.Directory;
                    // The video encode runs in an ffmpeg process here so that its CPU can be read apart from the
                    // engine's (/proc per process); the in-process encoder's cost is measured by video-encode.
                    var room = new LiveRoom($"perf{r + 1}", roomOptions, journal, speech, probe, engineOptions, loggers, TimeProvider.System,
                        avatars: avatars, encoderOptions: new EncoderOptions
                        {
                            VideoEncoder = options.VideoEncoder == FoundationOptions.InProcessVideo ? VideoEncoderKind.Libx264 : VideoEncoderKind.FfmpegProcess,
                        });
                    rooms.Add(room);
                    probe.Attach(room);
                    probes.Add(probe);
                    var before = ProcFs.Children(Environment.ProcessId, "ffmpeg").ToHashSet();
                    await room.StartAsync(cancellationToken);
                    room.StartTicking();
                    processes.Add(RoomProcesses.Identify(room.Name, before));
                }

                Console.WriteLine("warming up...");
                await Task.WhenAll(probes.Select(p => RoomDriver.WarmUpAsync(p, cancellationToken)));

                var sampler = new CpuSampler(probes, processes, espeakThread);
                var first = sampler.Read();
                using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var sampling = sampler.RunAsync(stopSampling.Token);
                Console.WriteLine($"sending {options.Lines} lines to each room...");
                var sent = await Task.WhenAll(probes.Select((p, r) => RoomDriver.RunAsync(p, scripts[r], cancellationToken)));
                // Let the encoder put out the frames of the last ticks that matter.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                var last = sampler.Read();
                await stopSampling.CancelAsync();
                await sampling;

                var health = probes.Select(p => new RoomHealthCounters(p.Name,
                    p.Room.Engine.Statistics.FramesRendered, p.Room.Engine.Statistics.LateTicks, p.Room.Engine.Statistics.SkippedFrames,
                    p.Room.Engine.Statistics.DroppedVideoFrames, p.Room.Encoder.Counters.VideoFramesOut, p.Room.Encoder.Counters.AudioFramesOut,
                    p.Room.Encoder.Counters.VideoRestarts, p.Room.Encoder.Counters.AudioRestarts,
                    p.VideoSubscriptionDrops + p.AudioSubscriptionDrops)).ToArray();

                var result = FoundationAnalysis.Analyze(startedAt, options, machine, probes, sent, health, first, last, sampler.Readings, tts);
                var (markdown, json) = await FoundationReport.WriteAsync(result, cancellationToken);
                Console.WriteLine();
                Console.Write(FoundationReport.Summary(result));
                Console.WriteLine($"wrote {markdown} and {json}");
                foreach (var (room, avatar) in avatars?.RoomAvatars ?? [])
                {
                    Console.WriteLine($"{room}: {avatar?.LipSyncedFrames} lip-synced frames, {avatar?.LateFrames} late (livehost_lipsync_late_frames_total), {avatar?.DecodeMisses} frames decoded on the tick");
                }
                return 0;
            }
            finally
            {
                foreach (var room in rooms) await room.DisposeAsync();
                foreach (var probe in probes) probe.Dispose();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }
}
