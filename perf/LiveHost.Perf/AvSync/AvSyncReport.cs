using System.Text;
using LiveHost.Media;
using LiveHost.Perf.Measurement;
using LiveHost.TestSupport.AvSync;
using static System.FormattableString;

namespace LiveHost.Perf.AvSync;

/// <summary>Writes an <see cref="AvSyncResult"/> as markdown, JSON and a console summary.</summary>
public static class AvSyncReport
{
    public static Task<(string Markdown, string Json)> WriteAsync(AvSyncResult result, CancellationToken cancellationToken)
        => ReportFiles.WriteAsync(result.Options.OutputFolder, $"{result.StartedAt:yyyy-MM-dd-HHmm}-av-sync", result, jsonName => Markdown(result, jsonName), ReportFiles.Json, cancellationToken);

    private const string TapPath = "cross-check: the same markers heard by a WebAudio tap";

    private static IEnumerable<(string Path, AvSyncSummary S)> Paths(AvSyncResult r)
    {
        yield return ("WebRTC in Chromium (/watch), the element's sound", r.Browser);
        if (r.Tap.Pairs > 0) yield return (TapPath, r.Tap);
        if (r.Rtmp is not null) yield return ("RTMP via nginx-rtmp (ffmpeg decode)", r.Rtmp);
    }

    public static string Summary(AvSyncResult r)
    {
        var s = new StringBuilder();
        s.AppendLine(Invariant($"av-sync: {r.MinutesMeasured:0.0} min; audio tapped from the {r.AudioSource}; playout delay {r.Options.PlayoutDelay}"));
        s.AppendLine(Invariant($"audio lead {Setting(r.Options.AudioLeadMs)} ms, audio pacing {Setting(r.Options.PaceAudio)}; Chromium's own estimate (every 10 s): {r.Chromium.Describe()}; sound handed to the output: picture shown less sound handed over p50 {r.HandedLeadMs.P50:0.0} ms, {r.TapOutput.Describe()}; tap calibration p50 {r.TapDelayMs.P50:0.0} ms (n {r.TapDelayMs.Count}), calibrated tap audio lead p50 {r.CalibratedTapP50Ms:0.0} ms"));
        s.AppendLine(r.OnKeyframes.Describe());
        foreach (var (path, x) in Paths(r))
            s.AppendLine(Invariant($"{path}: {x.Pairs} markers, audio lead p50 {x.P50Ms:0.0} ms, |offset| p95 {x.P95AbsMs:0.0} max {x.MaxAbsMs:0.0} ms, range {x.MinMs:0.0}..{x.MaxMs:0.0}, slope {x.SlopeMsPerMinute:0.00} ms/min, outside R37 {x.OutsideR37}"));
        return s.ToString();
    }

    private static string Setting<T>(T? value) where T : struct => value is { } v ? Invariant($"{v}") : "the host's (appsettings)";

    private static string Markdown(AvSyncResult r, string jsonName)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "A/V sync where the viewer is (WebRTC in headless Chromium, RTMP pulled by ffmpeg)", r.StartedAt,
            ReportHeader.CommandLine(r.Options.CommandLine), r.Machine, r.LoadAverage);
        s.AppendLine(Invariant($"- Busy cores during the run (all processes): {r.MachineBusyCores:0.00} of {r.Machine.LogicalCores}"));
        ReportHeader.AppendSoftware(s, $"browser {r.BrowserVersion} ({r.Options.Chromium}, headless, --disable-gpu)", r.Machine.DotNet, r.Machine.Ffmpeg, r.Machine.EspeakNg);
        s.AppendLine(Invariant($"- Host: the real `Program` in-process, room main {r.Options.Width}x{r.Options.Height} at 25 fps with `FrameStamp` and `AvSyncMarker` on, speaking continuously (lines topped up); WebRTC playout delay: {r.Options.PlayoutDelay}; `Engine:AudioLeadMilliseconds` {Setting(r.Options.AudioLeadMs)}; `WebRtc:PaceAudio` {Setting(r.Options.PaceAudio)}{(r.Options.Settings is { Count: > 0 } set ? "; other settings: " + string.Join(", ", set.Select(kv => $"`{kv.Key}={kv.Value}`")) : "")}"));
        s.AppendLine(Invariant($"- Measured: {r.MinutesMeasured:0.0} min after a 5 s warm-up (the goal is 60 min); raw offsets in `{jsonName}`"));
        s.AppendLine();
        s.AppendLine("## Audio-video offset (ms; > 0: the sound leads the picture, EBU R37 allows +40 / -60)");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lrrrrrrrrr", "path", "markers", "p50", "p95 of abs. offset", "max abs. offset", "min", "max", "mean", "drift (ms/min)", "outside R37");
        foreach (var (path, x) in Paths(r))
            s.AppendLine(Invariant($"| {path} | {x.Pairs} | {x.P50Ms:0.0} | {x.P95AbsMs:0.0} | {x.MaxAbsMs:0.0} | {x.MinMs:0.0} | {x.MaxMs:0.0} | {x.MeanMs:0.0} | {x.SlopeMsPerMinute:0.00} | {x.OutsideR37} |"));
        s.AppendLine();
        s.AppendLine(Invariant($"Unpaired: browser {r.Browser.UnpairedFrames} marker frames / {r.Browser.UnpairedOnsets} sounds, {r.Unheard} markers whose sound was not found among the polled sources; tap {r.Tap.UnpairedFrames} / {r.Tap.UnpairedOnsets} (frames presented {r.Callbacks}, undecodable stamps {r.Undecodable})")
            + (r.Rtmp is { } rt && r.RtmpCounts is { } c ? Invariant($"; RTMP {rt.UnpairedFrames} / {rt.UnpairedOnsets} (frames decoded {c.FramesDecoded}, undecodable {c.Undecodable}, audio {c.AudioSeconds:0.0} s)") : "") + ".");
        s.AppendLine();
        s.AppendLine(Invariant($"Chromium's own estimate over the run, sampled every 10 s from `window.livehost.stats().latency` (ms): {r.Chromium.Describe()}. ")
            + "It is the receiver's view (video's minus audio's `estimatedPlayoutTimestamp`, after its lip-sync), without the WebAudio tap's own buffering.");
        s.AppendLine();
        s.AppendLine(Invariant($"The element's offsets by the marker frame's kind (keyframes come every 2 s, the markers' period, at a phase each join sets): {r.OnKeyframes.Describe()}."));
        s.AppendLine();
        s.AppendLine(Invariant($"The element's output (sampled every 10 s): picture shown less sound handed to the output p50 {r.HandedLeadMs.P50:0.0} ms (min {r.HandedLeadMs.Min:0.0}, p95 {r.HandedLeadMs.P95:0.0}, max {r.HandedLeadMs.Max:0.0}); {r.TapOutput.Describe()}."));
        s.AppendLine();
        s.AppendLine(Invariant($"The WebAudio tap (cross-check): a local tone burst scheduled at a known context time, looped through a MediaStreamAudioDestinationNode and back in through `createMediaStreamSource` and the same detector, is heard p50 {r.TapDelayMs.P50:0.0} ms late (p95 {r.TapDelayMs.P95:0.0}, min {r.TapDelayMs.Min:0.0}, max {r.TapDelayMs.Max:0.0}, n {r.TapDelayMs.Count}): ")
            + Invariant($"the stream source node's own buffering, which the tap's onsets carry too. Corrected by it, the tap's audio lead p50 is {r.CalibratedTapP50Ms:0.0} ms against the element's {r.Browser.P50Ms:0.0} ms (R37 convention, > 0 the sound leads); Chromium's own estimate says {(r.Chromium.AudioBehindVideoMs.Count > 0 ? -Distribution.Of(r.Chromium.AudioBehindVideoMs).P50 : double.NaN):0.0} ms."));
        if (r.PageStats.ValueKind == System.Text.Json.JsonValueKind.Object && r.PageStats.TryGetProperty("latency", out var latency))
        {
            s.AppendLine();
            s.AppendLine("The page's `window.livehost.stats().latency` at the end (ms): `" + latency.GetRawText() + "`");
        }
        s.AppendLine();
        s.AppendLine("How it is measured:");
        s.AppendLine();
        s.AppendLine(Invariant($"- Server: every {AvSyncMarker.PeriodFrames}th tick n gets a {AvSyncMarker.FrequencyHz / 1000:0} kHz tone burst ({AvSyncMarker.DurationSamples * 1000 / MediaFormat.AudioSampleRate} ms, {AvSyncMarker.Amplitude:0.0} of full scale) from its first audio sample, which the engine times with frame n; frame n carries its index in the frame stamp. Both go through the real encoders (libx264 + Opus for WebRTC, libx264 + AAC for RTMP)."));
        s.AppendLine("- Chromium, the picture: `requestVideoFrameCallback` decodes each presented frame's stamp and keeps `expectedDisplayTime` (and `rtpTimestamp`) of marker frames.");
        s.AppendLine("- Chromium, the sound (the element's own path, no WebAudio): the marker's first sample has the frame's media time; through the room's RTP timestamp bases (given to the page by the harness) that is an audio RTP timestamp. The page polls the audio receiver's `getSynchronizationSources()` every few ms (Chromium stamps each 10 ms of audio it pulls for the output with the time and the RTP timestamp of its packet); the earliest stamp of the marker's packet, plus its offset into the packet, is when its first sample was handed to the output device, and Chromium's own per-sample estimate of the device's delay (media-playout stats: `totalPlayoutDelay / totalSamplesCount`, over the last second) gives when it is heard. Offset = picture shown - sound heard.");
        s.AppendLine("- Cross-check, the WebAudio tap: the stream's audio track through `createMediaStreamSource` into an AudioWorklet that measures the tone every 64 samples; an onset's context time becomes performance time through `AudioContext.getOutputTimestamp()`. Its graph is not the element's: the stream source node buffers (calibrated with a local loop) and the context has an output of its own, so it hears each onset later than the element does (measured 2026-12-05: 52-61 ms after it is handed over, against the element's 30).");
        s.AppendLine("- RTMP: ffmpeg pulls from a local nginx-rtmp into FLV (stream copy), then decodes the stamps with their pts (`showinfo`) and the audio onto the same timeline (`aresample=async=1:first_pts=0`); offset = frame pts - tone onset, as a player honouring the timestamps would show it (AAC's 1024-sample priming is not trimmed in FLV, so it counts, as it does in players).");
        s.AppendLine(Invariant($"- Pairing: each marker frame with the nearest onset within half the marker period ({AvSyncMarker.PeriodFrames * 20} ms at 25 fps); drift is the least-squares slope of the offset over time."));
        return s.ToString();
    }
}
