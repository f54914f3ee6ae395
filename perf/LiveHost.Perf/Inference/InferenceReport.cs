using System.Text;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.Inference;

/// <summary>The markdown report of an <see cref="InferenceResult"/>.</summary>
public static class InferenceReport
{
    public static string Markdown(InferenceResult r, string jsonName)
    {
        var m = r.Machine;
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "Inference benchmark", r.StartedAt);
        ReportHeader.AppendCommandLine(s, r.Command);
        ReportHeader.AppendMachine(s, m, $"; {m.DotNet}", withKernel: false);
        s.AppendLine($"- Execution provider: **{r.ExecutionProvider}**. {r.GpuNote}");
        s.AppendLine($"- Raw numbers: `{jsonName}`");
        s.AppendLine();
        s.AppendLine("## Models per batch size");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lrrrrrrr",
            "model", "batch", "calls", "frames/s", "latency p50 ms", "latency p95 ms", "cores busy", "core-ms per frame");
        foreach (var t in r.Models)
        {
            s.AppendLine(Invariant($"| {t.Model} | {t.Batch} | {t.Calls} | {t.FramesPerSecond:0.0} | {t.LatencyMs.P50:0.000} | {t.LatencyMs.P95:0.000} | {t.ProcessCpuCores:0.00} | {t.ProcessCpuCores * 1000 / t.FramesPerSecond:0.000} |"));
        }
        s.AppendLine();
        s.AppendLine(Invariant($"Mel front end (48 kHz audio to one [80, 16] window, one thread): p50 {r.MelFrontEnd.MicrosecondsPerFrame.P50:0.0} µs, p95 {r.MelFrontEnd.MicrosecondsPerFrame.P95:0.0} µs per frame ({r.MelFrontEnd.Frames} frames)."));
        s.AppendLine();
        s.AppendLine("## How many 25 fps rooms this machine could drive (estimate)");
        s.AppendLine();
        s.AppendLine(Invariant($"Each room also renders and runs its own ffmpeg encode: {r.RoomCoresWithoutModel:0.000} cores per room, from {r.FoundationSource}."));
        s.AppendLine("The model's cost per frame is the cheapest core-ms per frame over the batch sizes (rooms are batched together), plus the mel front end.");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lrrrrl", "model", "best batch", "core-ms per frame (model + mel)", "cores per room", "rooms", "arithmetic");
        foreach (var e in r.Rooms)
        {
            s.AppendLine(Invariant($"| {e.Model} | {e.Batch} | {e.InferenceCoreMsPerFrame:0.000} | {e.CoresPerRoom:0.000} | {e.Rooms:0.00} | {e.Arithmetic} |"));
        }
        s.AppendLine();
        s.AppendLine("These are CPU-only estimates: they assume CPU is the only limit and that the per-room encode cost of the foundation run "
            + "(1280x720, cartoon render) holds; a realistic avatar's render (JPEG decode and scaling per frame) was not measured here.");
        s.AppendLine();
        s.AppendLine("## Notes");
        s.AppendLine();
        foreach (var note in r.Notes) s.AppendLine($"- {note}");
        return s.ToString();
    }
}
