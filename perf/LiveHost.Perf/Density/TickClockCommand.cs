using System.Text;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace LiveHost.Perf.Density;

/// <summary>
/// <c>tick-clock</c>: how punctually a room's loop begins its ticks (issue 17: a starved thread pool delayed ticks). N
/// speaking 1280x720 cartoon rooms as the host builds them (<see cref="LiveRoom"/>, one subscriber each, so they encode)
/// run for the window; every tick reports how long after its due instant it began (<see cref="RoomStatistics.TickTiming.StartLateMs"/>).
/// With <c>--starve-pool N</c>, a feeder keeps N blocking work items (each holding a pool thread 250 ms) queued on the
/// thread pool throughout, as a pool blocked by other work would be.
/// </summary>
public sealed class TickClockCommand : IBenchmarkCommand
{
    public string Name => "tick-clock";

    public string Summary => "how late each room tick begins after its due instant, optionally with the thread pool starved";

    public string Usage => """
          --rooms N        speaking rooms (default 1)
          --seconds S      measured window after a 4 s warm-up (default 30)
          --starve-pool N  blocking work items kept queued on the thread pool (default 0: none)
          --out DIR        where the result files go (default perf/results)
        """;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var count = arguments.Number("rooms", 1, 1, 16);
        var seconds = arguments.Number("seconds", 30, 5, 3600);
        var starve = arguments.Number("starve-pool", 0, 0, 1000);
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        using var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), loggers.CreateLogger<EspeakSynthesizer>());
        var data = Directory.CreateTempSubdirectory("livehost-perf-tick-clock-");
        var rooms = new List<LiveRoom>();
        var subscriptions = new List<LiveHost.Media.MediaSubscription>();
        var late = new List<double>();
        var measuring = false;
        using var stop = new CancellationTokenSource();
        Thread? feeder = null;
        try
        {
            using var store = new SqliteLineStore(Path.Combine(data.FullName, "livehost.db"));
            await using var journal = new StorageJournal(store, store, new JournalOptions(), TimeProvider.System, loggers.CreateLogger<StorageJournal>());
            for (var r = 0; r < count; r++)
            {
                var room = new LiveRoom($"room{r + 1}", new RoomOptions { Language = "en", Width = 1280, Height = 720, Fps = 25 }, journal, speech,
                    NullRoomEvents.Instance, new EngineOptions(), loggers, TimeProvider.System);
                rooms.Add(room);
                room.Engine.Statistics.TickRecorded += (in RoomStatistics.TickTiming timing, ReadOnlySpan<short> _) =>
                {
                    if (!Volatile.Read(ref measuring)) return;
                    lock (late) late.Add(timing.StartLateMs);
                };
                await room.StartAsync(cancellationToken);
                // Drained by nobody: the subscription only makes the room encode (drop-oldest keeps it bounded).
                subscriptions.Add(room.Encoder.Output.Subscribe("perf-viewer", capacity: 16));
                for (var i = 0; i < 20; i++) await room.Controller.EnqueueAsync(new LineRequest(room.Name, RoomsCommand.Paragraph, "en", "en-us", Tag: "perf-tick-clock"), cancellationToken);
                room.StartTicking();
            }
            if (starve > 0)
            {
                feeder = new Thread(() => FeedBlockingWork(starve, stop.Token)) { IsBackground = true, Name = "pool starver" };
                feeder.Start();
            }
            await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);
            var lateTicks = rooms.Sum(r => r.Engine.Statistics.LateTicks);
            var skipped = rooms.Sum(r => r.Engine.Statistics.SkippedFrames);
            Volatile.Write(ref measuring, true);
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
            Volatile.Write(ref measuring, false);
            lateTicks = rooms.Sum(r => r.Engine.Statistics.LateTicks) - lateTicks;
            skipped = rooms.Sum(r => r.Engine.Statistics.SkippedFrames) - skipped;
            double[] lateMs;
            lock (late) lateMs = [.. late];
            Array.Sort(lateMs);
            var result = new TickClockResult(startedAt, ReportHeader.CommandLine(Name + " " + arguments.Raw), machine, count, seconds, starve,
                await ReportHeader.LoadAverageAsync(cancellationToken), lateMs.Length, Distribution.Of(lateMs), Distribution.Rank(lateMs, 0.99),
                lateMs.Count(x => x > 10), lateMs.Count(x => x > 40), lateTicks, skipped);
            Console.WriteLine(Invariant($"{result.Ticks} ticks: start late p50 {result.StartLateMs.P50:0.00} / p95 {result.StartLateMs.P95:0.00} / p99 {result.P99:0.00} / max {result.StartLateMs.Max:0.0} ms; over 10 ms {result.Over10Ms}, over 40 ms {result.Over40Ms}; late ticks {lateTicks}, skipped {skipped}"));
            var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd-HHmm}-tick-clock{(starve > 0 ? "-starved" : "")}", result, json => Report(result, json), ReportFiles.Json, cancellationToken);
            Console.WriteLine($"wrote {md}");
            return 0;
        }
        finally
        {
            await stop.CancelAsync();
            feeder?.Join();
            foreach (var subscription in subscriptions) subscription.Dispose();
            foreach (var room in rooms) await room.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    // Keeps about `items` blocking work items on the pool: each holds a pool thread for 250 ms; topped up every 50 ms.
    private static void FeedBlockingWork(int items, CancellationToken stop)
    {
        var running = 0;
        while (!stop.IsCancellationRequested)
        {
            while (Volatile.Read(ref running) < items)
            {
                Interlocked.Increment(ref running);
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    Thread.Sleep(250);
                    Interlocked.Decrement(ref running);
                });
            }
            stop.WaitHandle.WaitOne(50);
        }
    }

    private static string Report(TickClockResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "Tick clock: how late each room tick begins", r.StartedAt, r.CommandLine, r.Machine, r.LoadAverage);
        s.AppendLine(Invariant($"- {r.Rooms} speaking 1280x720 25 fps cartoon room(s) (`LiveRoom`, libx264 in process, one subscriber), {r.Seconds} s measured after a 4 s warm-up; thread pool starved by {r.StarvePool} blocking work items (0: not starved)"));
        s.AppendLine("- Start late: from the instant a tick was due (start + n / fps) to the moment the loop began it; catch-up ticks count too");
        s.AppendLine($"- Raw results: `{jsonFile}`");
        s.AppendLine();
        s.AppendLine("| ticks | p50 ms | p95 ms | p99 ms | max ms | over 10 ms | over 40 ms | late ticks (skips) | frames skipped |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|");
        s.AppendLine(Invariant($"| {r.Ticks} | {r.StartLateMs.P50:0.00} | {r.StartLateMs.P95:0.00} | {r.P99:0.00} | {r.StartLateMs.Max:0.0} | {r.Over10Ms} | {r.Over40Ms} | {r.LateTicks} | {r.SkippedFrames} |"));
        return s.ToString();
    }
}

public sealed record TickClockResult(DateTimeOffset StartedAt, string CommandLine, MachineInfo Machine, int Rooms, int Seconds, int StarvePool, string LoadAverage,
    int Ticks, Distribution StartLateMs, double P99, int Over10Ms, int Over40Ms, long LateTicks, long SkippedFrames);
