using System.Text;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.Hub;

/// <summary>One run: how long a healthy client waited for each LineQueued while <see cref="Stalled"/> clients did not read.</summary>
public sealed record SlowClientsSample(
    int Stalled, Distribution LatencyMs, double P99Ms, int StalledDropped, double DroppedBuffer, double DroppedDelay,
    double Seconds, double BusyCores, double LoadAverage, IReadOnlyList<double> RawLatencyMs);

public sealed record SlowClientsResult(
    DateTimeOffset StartedAt, SlowClientsOptions Options, MachineInfo Machine, long MaxBufferBytes, TimeSpan MaxSendDelay,
    double LoadAverageBefore, IReadOnlyList<SlowClientsSample> Samples);

public static class SlowClientsReport
{
    public static string Row(SlowClientsSample s) => Invariant(
        $"| {s.Stalled} | {s.LatencyMs.Count} | {s.LatencyMs.P50:0.0} | {s.LatencyMs.P95:0.0} | {s.P99Ms:0.0} | {s.LatencyMs.Max:0.0} | {s.StalledDropped} ({s.DroppedBuffer:0} buffer, {s.DroppedDelay:0} delay) | {s.Seconds:0.0} | {s.BusyCores:0.00} | {s.LoadAverage:0.0} |");

    public static string Summary(SlowClientsResult r)
    {
        var s = new StringBuilder();
        MarkdownTable.AppendHeader(s, "rrrrrrlrrr", "stalled clients", "events", "p50 ms", "p95 ms", "p99 ms", "max ms", "stalled clients dropped", "run s", "busy cores", "load avg");
        foreach (var sample in r.Samples) s.AppendLine(Row(sample));
        return s.ToString();
    }

    public static Task<(string Markdown, string Json)> WriteAsync(SlowClientsResult r, CancellationToken cancellationToken) =>
        ReportFiles.WriteAsync(r.Options.OutputFolder, Invariant($"{r.StartedAt:yyyy-MM-dd}-hub-slow-clients{(r.Options.StockManager ? "-stock" : "")}"), r, json => Markdown(r, json), ReportFiles.Json, cancellationToken);

    private static string Markdown(SlowClientsResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "Hub events with clients that stop reading", r.StartedAt);
        ReportHeader.AppendCommand(s, r.Options.CommandLine);
        ReportHeader.AppendMachine(s, r.Machine, Invariant($"; 1-minute load average {r.LoadAverageBefore:0.0} before the run"));
        ReportHeader.AppendSoftware(s, "server GC", r.Machine.DotNet);
        s.AppendLine(Invariant($"- Host: the real `Program` in-process on a loopback port (WebApplicationFactory + Kestrel), room main 640x360 paused, {(r.Options.StockManager ? "SignalR's stock `DefaultHubLifetimeManager` (the behaviour before issue #9, for comparison)" : $"`OutboxHubLifetimeManager`, `ControlPlane:SlowClient` MaxBufferBytes {r.MaxBufferBytes}, MaxSendDelay {r.MaxSendDelay}")}"));
        s.AppendLine(Invariant($"- Load: a producer enqueues {r.Options.Lines} lines of {r.Options.TextChars} characters over the hub, one after another, and clears the queue every {r.Options.ClearEvery}; each line sends LineQueued and a StateChanged that carries the queue"));
        s.AppendLine("- Stalled clients: raw WebSockets that complete the SignalR handshake and one call, then never read again (receive buffer 4 KB)");
        s.AppendLine("- Latency: from just before the producer's EnqueueLine call to the healthy viewer's LineQueued handler for that line (Stopwatch, one process), so it includes the command itself");
        if (r.LoadAverageBefore > r.Machine.LogicalCores || r.Samples.Any(x => x.LoadAverage > r.Machine.LogicalCores))
            s.AppendLine(Invariant($"- Note: the machine was busy with other work during this run (load average above its {r.Machine.LogicalCores} cores; see the table), so latencies are upper bounds"));
        s.AppendLine($"- Raw samples: `{jsonFile}`");
        s.AppendLine();
        s.Append(Summary(r));
        return s.ToString();
    }
}
