using System.Text;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.ProducerConsole;

/// <summary>Writes a <see cref="ConsoleCueResult"/> as markdown, JSON and a console summary.</summary>
public static class ConsoleCueReport
{
    public static Task<(string Markdown, string Json)> WriteAsync(ConsoleCueResult result, CancellationToken cancellationToken)
        => ReportFiles.WriteAsync(result.Options.OutputFolder, $"{result.StartedAt:yyyy-MM-dd}-console-cue", result, jsonName => Markdown(result, jsonName), ReportFiles.Json, cancellationToken);

    public static string Summary(ConsoleCueResult r)
    {
        var d = r.ClickToFirstAudio;
        return Invariant($"console-cue: click on Cue now -> first audio sample placed, n {d.Count}: p50 {d.P50:0.0} ms, p95 {d.P95:0.0} ms, min {d.Min:0.0}, max {d.Max:0.0}, mean {d.Mean:0.0}; load average {r.LoadAverageBefore:0.00} -> {r.LoadAverageAfter:0.00}, busy cores {r.MachineBusyCores:0.00}{Environment.NewLine}");
    }

    private static string Markdown(ConsoleCueResult r, string jsonName)
    {
        var m = r.Machine;
        var d = r.ClickToFirstAudio;
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "Producer console: Cue now click -> first audio sample", r.StartedAt);
        ReportHeader.AppendCommand(s, r.Options.CommandLine);
        ReportHeader.AppendMachine(s, m, Invariant($"; load average {r.LoadAverageBefore:0.00} before, {r.LoadAverageAfter:0.00} after; busy cores during the run (all processes): {r.MachineBusyCores:0.00}"));
        ReportHeader.AppendSoftware(s, $"browser {r.Browser} ({r.Options.Chromium}, headless, --disable-gpu)", m.DotNet, m.Ffmpeg, m.EspeakNg);
        s.AppendLine(Invariant($"- Host: the real `Program` in process on a loopback port (WebApplicationFactory + Kestrel), room main {r.Options.Width}x{r.Options.Height}; the page is the product's `/console/main`, signed in with a producer key typed into it; the preview (WHEP) plays during the run"));
        s.AppendLine(Invariant($"- Each click: the line box is filled, the previous cued line speaks for a random 300-1000 ms, Playwright clicks **Cue now**; {r.Options.WarmUp} warm-up clicks are not counted. Raw samples in `{jsonName}`"));
        s.AppendLine();
        s.AppendLine("From the click's dispatch in the page (`performance.timeOrigin + performance.now()` in a capture listener) to the engine's `FirstAudioPlaced` event (the tick that places the line's first sample), both on this machine's clock. It covers the page's handler, the SignalR `CueNow` call over WebSocket, the hub, validation and the line's row written to SQLite, the engine's next tick, and espeak-ng's first chunk.");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lrrrrrr", "latency (ms)", "n", "p50", "p95", "min", "max", "mean");
        s.AppendLine(Invariant($"| click on Cue now -> first audio sample placed | {d.Count} | {d.P50:0.0} | {d.P95:0.0} | {d.Min:0.0} | {d.Max:0.0} | {d.Mean:0.0} |"));
        return s.ToString();
    }
}
