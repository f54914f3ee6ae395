using System.Text;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.WebRtc;

/// <summary>Writes a <see cref="GlassToGlassResult"/> as markdown, JSON and a console summary.</summary>
public static class GlassToGlassReport
{
    public static Task<(string Markdown, string Json)> WriteAsync(GlassToGlassResult result, CancellationToken cancellationToken)
        => ReportFiles.WriteAsync(result.Options.OutputFolder, $"{result.StartedAt:yyyy-MM-dd-HHmm}-glass-to-glass", result, jsonName => Markdown(result, jsonName), ReportFiles.Json, cancellationToken);

    private static IEnumerable<(string Name, Distribution D)> Latencies(GlassToGlassResult r) =>
    [
        ("frame drawn on the server -> presented (expectedDisplayTime)", r.DrawnToDisplay),
        ("frame drawn on the server -> requestVideoFrameCallback ran", r.DrawnToCallback),
        ("frame drawn on the server -> its last packet received (receiveTime)", r.DrawnToReceive),
        ("last packet received -> presented", r.ReceiveToDisplay),
    ];

    public static string Summary(GlassToGlassResult r)
    {
        var s = new StringBuilder();
        s.AppendLine(Invariant($"glass-to-glass: {r.Outcome}; {r.Browser}; video {r.VideoSize}; {r.WindowSeconds:0.0} s measured; playout delay {r.Options.PlayoutDelay}"));
        if (r.PageLatency is { } latency) s.AppendLine("page latency: " + latency.GetRawText());
        s.AppendLine(Invariant($"{"latency (ms)",-72} {"n",5} {"p50",8} {"p95",8} {"max",8}"));
        foreach (var (name, d) in Latencies(r)) s.AppendLine(Invariant($"{name,-72} {d.Count,5} {d.P50,8:0.0} {d.P95,8:0.0} {d.Max,8:0.0}"));
        s.AppendLine(Invariant($"frames: produced {r.FramesProducedInWindow}, presented {r.FramesPresented} ({r.DistinctFramesPresented} distinct), decoded {r.FramesDecoded:0}, dropped {r.FramesDropped:0}, missed presentations {r.MissedPresentations}, undecodable stamps {r.Undecodable}, unmatched {r.Unmatched}, packets lost {r.PacketsLost:0}"));
        return s.ToString();
    }

    private static string Markdown(GlassToGlassResult r, string jsonName)
    {
        var m = r.Machine;
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "Glass-to-glass benchmark (WebRTC, headless Chromium)", r.StartedAt);
        ReportHeader.AppendCommand(s, r.Options.CommandLine);
        ReportHeader.AppendMachine(s, m, Invariant($"; busy cores during the window (all processes): {r.MachineBusyCores:0.00}"));
        ReportHeader.AppendSoftware(s, $"browser {r.Browser} ({r.Options.Chromium}, headless, --disable-gpu)", m.DotNet, m.Ffmpeg, m.EspeakNg);
        s.AppendLine(Invariant($"- Host: the real `Program` in-process on a loopback port (WebApplicationFactory + Kestrel), room main {r.Options.Width}x{r.Options.Height} with `Rooms:main:FrameStamp=true`, speaking throughout; the page is the product's `/watch/main` (WHEP)"));
        s.AppendLine(Invariant($"- Playout-delay RTP extension: {r.Options.PlayoutDelay}"));
        s.AppendLine(Invariant($"- Outcome: **{r.Outcome}**; raw frames in `{jsonName}`"));
        s.AppendLine();
        if (r.Frames.Count > 0)
        {
            s.AppendLine(Invariant($"## Latency (ms), {r.WindowSeconds:0.0} s window"));
            s.AppendLine();
            MarkdownTable.AppendHeader(s, "lrrrrr", "measure", "n", "p50", "p95", "max", "min");
            foreach (var (name, d) in Latencies(r)) s.AppendLine(Invariant($"| {name} | {d.Count} | {d.P50:0.0} | {d.P95:0.0} | {d.Max:0.0} | {d.Min:0.0} |"));
            s.AppendLine();
            if (r.PageLatency is { ValueKind: System.Text.Json.JsonValueKind.Object } latency)
            {
                s.AppendLine("## The browser's stages (the watch page's `window.livehost.stats().latency`, ms; \"recent\" covers the window)");
                s.AppendLine();
                MarkdownTable.AppendHeader(s, "lr", "stage", "ms");
                foreach (var stage in latency.EnumerateObject())
                    s.AppendLine(Invariant($"| {stage.Name} | {(stage.Value.ValueKind == System.Text.Json.JsonValueKind.Number ? stage.Value.GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-")} |"));
                s.AppendLine();
            }
            s.AppendLine("## Frames");
            s.AppendLine();
            MarkdownTable.AppendHeader(s, "rrrrrrrrr",
                "produced by the server", "presented (callbacks)", "distinct stamps presented", "decoded (getStats)", "dropped (getStats)",
                "presentations without a callback", "undecodable stamps", "unmatched stamps", "packets lost");
            s.AppendLine(Invariant($"| {r.FramesProducedInWindow} | {r.FramesPresented} | {r.DistinctFramesPresented} | {r.FramesDecoded:0} | {r.FramesDropped:0} | {r.MissedPresentations} | {r.Undecodable} | {r.Unmatched} | {r.PacketsLost:0} |"));
            s.AppendLine();
        }
        s.AppendLine("How it is measured:");
        s.AppendLine();
        s.AppendLine("- Server side: the engine's `RoomStatistics.TickRecorded` gives each frame's index and the Stopwatch moment it was drawn and handed to the encoder; one anchor (`TimeProvider.System`) turns that into Unix ms. The frame's index is drawn into the picture by `FrameStampOverlay` (24 bits as black/white 16-pixel blocks, each over its inverse, after a white/black start marker).");
        s.AppendLine("- Browser side: `video.requestVideoFrameCallback` on every presented frame; the stamp corner is copied to a canvas and decoded; `Date.now()` at the callback, and `expectedDisplayTime` and `receiveTime` turned into Unix ms through `Date.now() - performance.now()` taken in the same callback (not `performance.timeOrigin`, which drifts from the wall clock). Same machine, same clock; `Date.now()` has 1 ms resolution.");
        s.AppendLine("- Path covered: drawing done → BGRA→I420 + libx264 in process (veryfast, zerolatency; the host default `Encoder:VideoEncoder=Libx264`) → H.264 out → RTP packetization → per-viewer SRTP → loopback UDP → Chromium jitter buffer → software decode → compositor.");
        if (r.PageLog.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Page log");
            s.AppendLine();
            foreach (var line in r.PageLog.Take(40)) s.AppendLine("    " + line);
        }
        return s.ToString();
    }
}
