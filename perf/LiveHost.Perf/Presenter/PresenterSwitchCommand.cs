using System.Diagnostics;
using System.Text;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace LiveHost.Perf.Presenter;

/// <summary>
/// <c>presenter-switch</c>: what switching a live room's presenter costs. One real room (<see cref="LiveRoom"/>: engine on
/// the real clock, the real in-process encoder, espeak-ng speaking a line in a loop) at the given size; every few seconds
/// SetPresenter (now) switches to the next built-in look. Every tick's time is recorded and classed as steady or during a
/// switch (the cross-fade frames); the engine's own late-tick and skipped-frame counters say whether any frame was late.
/// </summary>
public sealed class PresenterSwitchCommand : IBenchmarkCommand
{
    private static readonly string[] Looks = ["cartoon-b", "cartoon-fullbody", "cartoon"];

    public string Name => "presenter-switch";

    public string Summary => "the cost of a live presenter switch: tick time during the cross-fade, late and skipped frames";

    public string Usage => """
          --width N --height N   room size (default 1280x720)
          --switches N           switches to make (default 30)
          --gap-seconds N        seconds between switches (default 2)
          --out DIR              where the result files go (default perf/results)
        """;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var width = arguments.Number("width", 1280, 160, 3840);
        var height = arguments.Number("height", 720, 120, 2160);
        var switches = arguments.Number("switches", 30, 1, 1000);
        var gap = arguments.Number("gap-seconds", 2, 1, 60);
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);

        var data = Directory.CreateTempSubdirectory("livehost-perf-presenter-").FullName;
        using var store = new SqliteLineStore(Path.Combine(data, "livehost.db"));
        await using var journal = new StorageJournal(store, store, new JournalOptions(), TimeProvider.System, NullLogger<StorageJournal>.Instance);
        var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);
        var room = new LiveRoom("perf", new RoomOptions { Width = width, Height = height, Fps = 25 }, journal, speech, new NoEvents(),
            new EngineOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        var steady = new List<double>();
        var fading = new List<double>();
        var gate = new Lock();
        room.Engine.Statistics.TickRecorded += (in RoomStatistics.TickTiming timing, ReadOnlySpan<short> _) =>
        {
            // On the tick's own thread, right after it: the switcher says whether this frame was a cross-fade frame.
            var during = room.Presenter.Switcher.LastBlend < 1f;
            lock (gate) (during ? fading : steady).Add(timing.TickMs);
        };
        var prepareMs = new List<double>();
        long lateBefore, skippedBefore, droppedBefore;
        try
        {
            await room.StartAsync(cancellationToken);
            room.StartTicking();
            for (var i = 0; i < 3; i++) await room.Controller.EnqueueAsync(new LineRequest(null, "Welcome back everyone, today we look at the spring collection together."), cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            lateBefore = room.Engine.Statistics.LateTicks;
            skippedBefore = room.Engine.Statistics.SkippedFrames;
            droppedBefore = room.Engine.Statistics.DroppedVideoFrames;
            for (var n = 0; n < switches; n++)
            {
                if (room.Engine.CurrentLine is null && room.Controller.GetState().Queue.Count == 0)
                {
                    await room.Controller.EnqueueAsync(new LineRequest(null, "And here is the next product, with a closer look at its details."), cancellationToken);
                }
                var started = Stopwatch.GetTimestamp();
                await room.Controller.SetPresenterAsync(new PresenterRequest(Looks[n % Looks.Length], Now: true), cancellationToken);
                prepareMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Console.WriteLine(Invariant($"switch {n + 1}/{switches} to {Looks[n % Looks.Length]}: prepared in {prepareMs[^1]:0.0} ms"));
                await Task.Delay(TimeSpan.FromSeconds(gap), cancellationToken);
            }
        }
        finally
        {
            await room.DisposeAsync();
        }
        var late = room.Engine.Statistics.LateTicks - lateBefore;
        var skipped = room.Engine.Statistics.SkippedFrames - skippedBefore;
        var dropped = room.Engine.Statistics.DroppedVideoFrames - droppedBefore;
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }

        double[] steadyMs, fadeMs;
        lock (gate)
        {
            steadyMs = [.. steady];
            fadeMs = [.. fading];
        }
        var loadAverage = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim() : "";
        var result = new PresenterSwitchResult(startedAt, ReportHeader.CommandLine(Name + " " + arguments.Raw), machine, width, height, switches,
            Distribution.Of(steadyMs), Distribution.Of(fadeMs), Distribution.Of(prepareMs), fadeMs.Count(ms => ms > 40), late, skipped, dropped, loadAverage);
        Console.WriteLine(Invariant($"steady ticks p50 {result.SteadyTickMs.P50:0.0} ms p95 {result.SteadyTickMs.P95:0.0} ms; cross-fade ticks p50 {result.FadeTickMs.P50:0.0} ms p95 {result.FadeTickMs.P95:0.0} ms max {result.FadeTickMs.Max:0.0} ms; late ticks {late}, skipped frames {skipped}, dropped {dropped}"));
        var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd-HHmm}-presenter-switch", result, json => Report(result, json), ReportFiles.Json, cancellationToken);
        Console.WriteLine($"wrote {md}");
        return 0;
    }

    private static string Report(PresenterSwitchResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "Presenter switch", r.StartedAt);
        ReportHeader.AppendCommandLine(s, r.CommandLine);
        ReportHeader.AppendMachine(s, r.Machine);
        s.AppendLine(Invariant($"- Load average at the end (1/5/15 min, runnable/total, last pid): `{r.LoadAverage}`"));
        s.AppendLine(Invariant($"- One room {r.Width}x{r.Height} at 25 fps (budget 40 ms per tick), the real engine clock and in-process encoder, espeak-ng speaking; {r.Switches} switches (SetPresenter now) cycling cartoon-b, cartoon-fullbody, cartoon"));
        s.AppendLine($"- Raw samples: `{jsonFile}`");
        s.AppendLine();
        s.AppendLine("| ticks | count | p50 ms | p95 ms | max ms |");
        s.AppendLine("|---|---|---|---|---|");
        s.AppendLine(Invariant($"| steady | {r.SteadyTickMs.Count} | {r.SteadyTickMs.P50:0.0} | {r.SteadyTickMs.P95:0.0} | {r.SteadyTickMs.Max:0.0} |"));
        s.AppendLine(Invariant($"| during a cross-fade | {r.FadeTickMs.Count} | {r.FadeTickMs.P50:0.0} | {r.FadeTickMs.P95:0.0} | {r.FadeTickMs.Max:0.0} |"));
        s.AppendLine(Invariant($"| preparing the switch (off the tick, SetPresenter's own time) | {r.PrepareMs.Count} | {r.PrepareMs.P50:0.0} | {r.PrepareMs.P95:0.0} | {r.PrepareMs.Max:0.0} |"));
        s.AppendLine();
        s.AppendLine(Invariant($"Cross-fade ticks over 40 ms: {r.FadeTicksOver40Ms}. Engine counters over the switching phase: late ticks {r.LateTicks}, skipped frames {r.SkippedFrames}, frames the encoder dropped {r.DroppedFrames}."));
        return s.ToString();
    }

    private sealed class NoEvents : IRoomEventSink
    {
        public void LineQueued(Line line) { }
        public void LineStarted(Line line) { }
        public void LineFinished(Line line) { }
        public void StateChanged(RoomState state) { }
    }
}

public sealed record PresenterSwitchResult(
    DateTimeOffset StartedAt, string CommandLine, MachineInfo Machine, int Width, int Height, int Switches,
    Distribution SteadyTickMs, Distribution FadeTickMs, Distribution PrepareMs, int FadeTicksOver40Ms, long LateTicks, long SkippedFrames,
    long DroppedFrames, string LoadAverage);
