using System.Diagnostics;
using System.Text;
using LiveHost.Encoding;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Media;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace LiveHost.Perf.Density;

/// <summary>
/// <c>rooms</c>: how many rooms this machine runs at once. For N = start, start + 1, ...: N in-process rooms as the host
/// builds them (<see cref="LiveRoom"/>: the built-in cartoon at 1280x720, 25 fps, libx264 in process, AAC in an ffmpeg
/// process, one shared espeak-ng), each speaking all the time (long lines queued back to back) and each with one
/// subscriber on its encoded stream, so that it encodes. After a warm-up, every tick of every room is timed for the
/// window; N passes with 0 late ticks, 0 video frames dropped by the encoder and tick p95 under half the frame budget
/// (20 ms at 25 fps). Each step also reports the most raw frames that waited for any room's video encoder at once
/// (warm-up included): how close the step came to the queue's bound. The run stops at the first N that fails and reports the largest that passed.
/// </summary>
public sealed class RoomsCommand : IBenchmarkCommand
{
    public string Name => "rooms";

    public string Summary => "the largest number of speaking 720p25 cartoon rooms with 0 late ticks and tick p95 under half the budget";

    public string Usage => """
          --start N      rooms in the first step (default 1)
          --max N        stop after this many (default 16)
          --seconds S    measured window per step, after a 4 s warm-up (default 20)
          --x264-params P   Encoder:X264Params for every room (default: the shipped default; "none": the preset's own)
          --aac-coder C     Encoder:AacCoder for every room (default: the shipped default)
          --video-queue N   Encoder:VideoQueueCapacity for every room (default: the shipped default)
          --unchanged-macroblocks on|off   Encoder:SkipUnchangedMacroblocks (default: the shipped default)
          --out DIR      where the result files go (default perf/results)
        """;

    /// <summary>A long English line rooms speak back to back in benchmarks that need them speaking all the time.</summary>
    internal const string Paragraph =
        "Welcome back to the show, everyone. Today we have three new flavours of our cold brew coffee, each one roasted " +
        "in small batches and bottled the same morning. Order in the next ten minutes and the shipping is on us, and " +
        "every bottle comes with a recipe card for an iced latte you can make at home in under a minute.";

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var start = arguments.Number("start", 1, 1, 64);
        var max = arguments.Number("max", 16, 1, 64);
        var seconds = arguments.Number("seconds", 20, 5, 600);
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        var shipped = new EncoderOptions();
        var x264Params = arguments.Text("x264-params", shipped.X264Params);
        var encoder = new EncoderOptions { X264Params = x264Params == "none" ? "" : x264Params, AacCoder = arguments.Text("aac-coder", shipped.AacCoder), VideoQueueCapacity = arguments.Number("video-queue", shipped.VideoQueueCapacity, 1, 1024) };
        encoder.SkipUnchangedMacroblocks = arguments.Text("unchanged-macroblocks", shipped.SkipUnchangedMacroblocks ? "on" : "off") switch
        {
            "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"--unchanged-macroblocks takes on or off, not '{other}'"),
        };
        arguments.ThrowIfUnknown();
        if (encoder.Validate() is { } problem) throw new ArgumentException(problem);
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        using var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), loggers.CreateLogger<EspeakSynthesizer>());
        var steps = new List<RoomsStep>();
        for (var n = start; n <= max; n++)
        {
            Console.WriteLine($"{n} room(s): warming up, then {seconds} s measured...");
            var step = await RunStepAsync(n, seconds, encoder, speech, loggers, cancellationToken);
            steps.Add(step);
            Console.WriteLine(Invariant($"  {(step.Passed ? "pass" : "FAIL")}: late ticks {step.LateTicks}, encoder drops {step.DroppedVideoFrames}, tick p50 {step.TickMs.P50:0.0} / p95 {step.TickMs.P95:0.0} ms, render p95 {step.RenderMs.P95:0.0} ms, {step.CoresPerRoom:0.000} cores a room (process + AAC), CPU {step.CpuMsPerFrame:0.00} ms a room-frame (~{step.RoomsPerCoreByCpu:0.0} rooms per core by CPU), machine busy {step.MachineBusy:P0}, load average {step.LoadAverage:0.0}, video queue deepest {step.VideoQueueDeepestMeasured} of {step.VideoQueueCapacity} while measured ({step.VideoQueueHighWater} since the rooms started)"));
            foreach (var b in step.AroundDrops()) Console.WriteLine(DropLine(b));
            if (!step.Passed) break;
        }
        var best = steps.Where(s => s.Passed).Select(s => s.Rooms).DefaultIfEmpty(0).Max();
        Console.WriteLine($"largest passing: {best} room(s) on {machine.LogicalCores} cores");
        var loadAverage = await ReportHeader.LoadAverageAsync(cancellationToken);
        var result = new RoomsResult(startedAt, ReportHeader.CommandLine(Name + " " + arguments.Raw), machine, seconds, best, loadAverage, encoder.Preset, encoder.X264Params, encoder.AacCoder, encoder.SkipUnchangedMacroblocks, steps);
        var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd-HHmm}-rooms", result, json => Report(result, json), ReportFiles.Json, cancellationToken);
        Console.WriteLine($"wrote {md}");
        return 0;
    }

    private static string DropLine(DropBucket b) =>
        Invariant($"    at {b.AtSeconds,5:0.0} s: {b.Drops} dropped, deepest queue {b.DeepestQueue}; CPU ms in the half-second: espeak-ng {b.EspeakCpuMs:0}, x264 encodes {b.EncodeCpuMs:0}, process {b.ProcessCpuMs:0}; GC pause {b.GcPauseMs:0.0} ms, gen2 {b.Gen2Collections}");

    private static async Task<RoomsStep> RunStepAsync(int count, int seconds, EncoderOptions encoder, EspeakSynthesizer speech, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("livehost-perf-rooms-");
        var rooms = new List<LiveRoom>();
        var watchers = new List<(MediaSubscription Subscription, Task Reading)>();
        using var stopWatching = new CancellationTokenSource();
        try
        {
            using var store = new SqliteLineStore(Path.Combine(data.FullName, "livehost.db"));
            await using var journal = new StorageJournal(store, store, new JournalOptions(), TimeProvider.System, loggers.CreateLogger<StorageJournal>());
            var ticks = new List<double>();
            var renders = new List<double>();
            var measuring = false;
            for (var r = 0; r < count; r++)
            {
                var room = new LiveRoom($"room{r + 1}", new RoomOptions { Language = "en", Width = 1280, Height = 720, Fps = 25 }, journal, speech,
                    NullRoomEvents.Instance, new EngineOptions(), loggers, TimeProvider.System, encoderOptions: encoder);
                rooms.Add(room);
                room.Engine.Statistics.TickRecorded += (in RoomStatistics.TickTiming timing, ReadOnlySpan<short> _) =>
                {
                    if (!Volatile.Read(ref measuring)) return;
                    lock (ticks)
                    {
                        ticks.Add(timing.TickMs);
                        renders.Add(timing.RenderMs);
                    }
                };
                await room.StartAsync(cancellationToken);
                // One viewer's worth of demand: a subscriber that drains the room's encoded stream.
                var subscription = room.Encoder.Output.Subscribe("perf-viewer", capacity: 256);
                watchers.Add((subscription, DrainAsync(subscription, stopWatching.Token)));
                for (var i = 0; i < 12; i++) await room.Controller.EnqueueAsync(new LineRequest(room.Name, Paragraph, "en", "en-us", Tag: "perf-rooms"), cancellationToken);
                room.StartTicking();
            }
            await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);

            var late = rooms.Sum(r => r.Engine.Statistics.LateTicks);
            var dropped = rooms.Sum(r => r.Encoder.Counters.VideoFramesDropped);
            var idle = rooms.Sum(r => r.Encoder.Counters.VideoFramesIdle);
            var encoded = rooms.Sum(r => r.Encoder.Counters.VideoFramesOut);
            var cpu = CpuNow(rooms);
            var machineBefore = ProcFs.MachineCpu();
            var clock = Stopwatch.StartNew();
            Volatile.Write(ref measuring, true);
            var timeline = await DropTimeline.RecordAsync(rooms, TimeSpan.FromSeconds(seconds), cancellationToken);
            Volatile.Write(ref measuring, false);
            var elapsed = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (CpuNow(rooms) - cpu).TotalSeconds;
            var cores = cpuSeconds / elapsed;
            var framesEncoded = rooms.Sum(r => r.Encoder.Counters.VideoFramesOut) - encoded;
            var machineAfter = ProcFs.MachineCpu();
            var busy = (double)(machineAfter.Busy - machineBefore.Busy) / Math.Max(1, machineAfter.Total - machineBefore.Total);
            double[] tickMs, renderMs;
            lock (ticks)
            {
                tickMs = [.. ticks];
                renderMs = [.. renders];
            }
            var step = new RoomsStep(count,
                rooms.Sum(r => r.Engine.Statistics.LateTicks) - late,
                rooms.Sum(r => r.Encoder.Counters.VideoFramesDropped) - dropped,
                rooms.Sum(r => r.Encoder.Counters.VideoFramesIdle) - idle,
                tickMs.Length, Distribution.Of(tickMs), Distribution.Of(renderMs), cores / count, busy, ProcFs.LoadAverage(),
                framesEncoded, framesEncoded > 0 ? cpuSeconds * 1000 / framesEncoded : double.NaN,
                rooms.Max(r => r.Encoder.VideoQueueHighWater), timeline.Select(b => b.DeepestQueue).DefaultIfEmpty(0).Max(), encoder.VideoQueueCapacity, timeline);
            return step;
        }
        finally
        {
            await stopWatching.CancelAsync();
            foreach (var (subscription, reading) in watchers)
            {
                subscription.Dispose();
                await reading;
            }
            foreach (var room in rooms) await room.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    // This process (engine loops, drawing, x264, espeak) and each room's AAC ffmpeg process.
    private static TimeSpan CpuNow(IReadOnlyList<LiveRoom> rooms)
    {
        var total = ProcessCpu.Now();
        foreach (var pid in ProcFs.Children(Environment.ProcessId, "ffmpeg")) total += ProcFs.ProcessCpu(pid) ?? TimeSpan.Zero;
        return total;
    }

    private static async Task DrainAsync(MediaSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (true) await subscription.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    private static string Report(RoomsResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "Rooms per machine: speaking 720p25 cartoon rooms", r.StartedAt, r.CommandLine, r.Machine, r.LoadAverage);
        s.AppendLine(Invariant($"- Each room: `LiveRoom` as the host builds it (built-in cartoon, 1280x720 at 25 fps, libx264 in process, preset {r.Preset}, x264 params `{(r.X264Params.Length == 0 ? "(none)" : r.X264Params)}`, unchanged macroblocks skipped {(r.SkipUnchangedMacroblocks ? "on" : "off")}, AAC in an ffmpeg process with coder `{r.AacCoder}`, one espeak-ng shared by all), speaking long English lines back to back, one subscriber draining its encoded stream; {r.Seconds} s measured per step after a 4 s warm-up"));
        s.AppendLine("- Pass: 0 late ticks, 0 video frames dropped by the encoder, tick p95 under 20 ms (half the 40 ms frame budget)");
        s.AppendLine(Invariant($"- **Largest passing: {r.LargestPassing} room(s)** on {r.Machine.LogicalCores} cores"));
        s.AppendLine($"- Raw results: `{jsonFile}`");
        s.AppendLine();
        s.AppendLine("- CPU a room-frame: CPU of the process and the AAC processes over the window / video frames encoded (all rooms); rooms per core by CPU = 1000 / (25 x that): what one core would hold if CPU were the only limit (a busy machine inflates it a little, and starves the ticks long before)");
        s.AppendLine();
        s.AppendLine("| rooms | result | late ticks | encoder drops | ticks timed | tick p50 ms | tick p95 ms | tick max ms | render p95 ms | cores per room | CPU ms a room-frame | rooms per core by CPU | machine busy | load average | video queue deepest while measured | since the rooms started |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var step in r.Steps)
        {
            s.AppendLine(Invariant($"| {step.Rooms} | {(step.Passed ? "pass" : "fail")} | {step.LateTicks} | {step.DroppedVideoFrames} | {step.TicksTimed} | {step.TickMs.P50:0.0} | {step.TickMs.P95:0.0} | {step.TickMs.Max:0.0} | {step.RenderMs.P95:0.0} | {step.CoresPerRoom:0.000} | {step.CpuMsPerFrame:0.00} | {step.RoomsPerCoreByCpu:0.0} | {step.MachineBusy:P0} | {step.LoadAverage:0.0} | {step.VideoQueueDeepestMeasured} of {step.VideoQueueCapacity} | {step.VideoQueueHighWater} |"));
        }
        foreach (var step in r.Steps.Where(x => x.DroppedVideoFrames > 0))
        {
            s.AppendLine();
            s.AppendLine(Invariant($"Drops with {step.Rooms} rooms, half a second at a time (the half-seconds with drops and the one before each; CPU in ms of CPU time within the half-second, all in `{step.Rooms}-rooms` JSON `Timeline`):"));
            s.AppendLine();
            s.AppendLine("| at s | drops | deepest queue | espeak-ng CPU ms | x264 encode threads CPU ms | process CPU ms | GC pause ms | gen2 GCs |");
            s.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var b in step.AroundDrops())
            {
                s.AppendLine(Invariant($"| {b.AtSeconds:0.0} | {b.Drops} | {b.DeepestQueue} | {b.EspeakCpuMs:0} | {b.EncodeCpuMs:0} | {b.ProcessCpuMs:0} | {b.GcPauseMs:0.0} | {b.Gen2Collections} |"));
            }
        }
        return s.ToString();
    }
}

public sealed record RoomsStep(int Rooms, long LateTicks, long DroppedVideoFrames, long IdleVideoFrames, int TicksTimed, Distribution TickMs, Distribution RenderMs,
    double CoresPerRoom, double MachineBusy, double LoadAverage, long FramesEncoded, double CpuMsPerFrame, int VideoQueueHighWater, int VideoQueueDeepestMeasured, int VideoQueueCapacity,
    IReadOnlyList<DropBucket> Timeline)
{
    /// <summary>The half-seconds with drops, each with the one before it (what led up to it).</summary>
    public IEnumerable<DropBucket> AroundDrops() =>
        Timeline.Where((bucket, i) => bucket.Drops > 0 || (i + 1 < Timeline.Count && Timeline[i + 1].Drops > 0));

    /// <summary>Rooms one core could run at 25 fps if CPU were the only limit: 1000 ms / (25 frames x CPU ms a frame).</summary>
    public double RoomsPerCoreByCpu => 1000 / (25 * CpuMsPerFrame);

    public bool Passed => LateTicks == 0 && DroppedVideoFrames == 0 && TickMs.P95 < 20;
}

public sealed record RoomsResult(DateTimeOffset StartedAt, string CommandLine, MachineInfo Machine, int Seconds, int LargestPassing, string LoadAverage, string Preset, string X264Params, string AacCoder, bool SkipUnchangedMacroblocks, IReadOnlyList<RoomsStep> Steps);

/// <summary>An event sink that ignores everything (the rooms benchmark watches statistics, not events).</summary>
internal sealed class NullRoomEvents : IRoomEventSink
{
    public static readonly NullRoomEvents Instance = new();

    public void LineQueued(Line line) { }
    public void LineStarted(Line line) { }
    public void LineFinished(Line line) { }
    public void StateChanged(RoomState state) { }
}
