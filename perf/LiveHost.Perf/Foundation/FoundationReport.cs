using System.Globalization;
using System.Text;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.Foundation;

/// <summary>Writes a <see cref="FoundationResult"/> as a markdown report, a JSON file with the raw samples, and a console summary.</summary>
public static class FoundationReport
{
    /// <returns>The markdown and JSON paths.</returns>
    public static Task<(string Markdown, string Json)> WriteAsync(FoundationResult result, CancellationToken cancellationToken)
    {
        var stem = $"{result.StartedAt:yyyy-MM-dd}-foundation" + (result.Options.Avatar == FoundationOptions.Cartoon ? "" : "-" + result.Options.Avatar)
            + (result.Options.Rooms > 1 ? $"-{result.Options.Rooms}rooms" : "");
        return ReportFiles.WriteAsync(result.Options.OutputFolder, stem, result, jsonName => Markdown(result, jsonName), ReportFiles.Json, cancellationToken);
    }

    public static string Summary(FoundationResult r)
    {
        var s = new StringBuilder();
        s.AppendLine(Invariant($"foundation: {r.Options.Rooms} room(s), {r.Options.Avatar} avatar, {r.Lines.Count} lines, {r.Options.Width}x{r.Options.Height}@{r.Options.Fps}, {r.Cpu.WallSeconds:0} s timed"));
        s.AppendLine(Invariant($"{"latency (ms)",-48} {"n",4} {"p50",8} {"p95",8} {"max",8}"));
        foreach (var (name, d) in r.Latency) s.AppendLine(Invariant($"{name,-48} {d.Count,4} {d.P50,8:0.0} {d.P95,8:0.0} {d.Max,8:0.0}"));
        s.AppendLine(Invariant($"{"per frame (ms, budget " + r.BudgetMs.ToString("0", CultureInfo.InvariantCulture) + " ms)",-48} {"n",6} {"p50",7} {"%",5} {"p95",7} {"%",5}"));
        foreach (var st in r.Stages)
        {
            s.AppendLine(Invariant($"{st.Stage,-48} {st.Ms.Count,6} {st.Ms.P50,7:0.00} {st.P50PercentOfBudget,5:0} {st.Ms.P95,7:0.00} {st.P95PercentOfBudget,5:0}"));
        }
        s.AppendLine(Invariant($"TTS live: {r.LiveTtsCpuMsPerSpeechFrame:0.00} ms espeak CPU per 40 ms of speech played"));
        s.AppendLine(Invariant($"machine: {r.Cpu.MachineBusyCores:0.00} cores busy in all, {r.Cpu.OtherProcessesCores:0.00} of them other processes; load average median {r.Cpu.LoadAverages.P50:0.0}"));
        s.AppendLine(Invariant($"CPU: {r.Cpu.TotalCores:0.00} cores total = process {r.Cpu.ProcessCores:0.00} (espeak {r.Cpu.EspeakCores:0.000}) + x264 {r.Cpu.VideoFfmpegCores:0.00} + aac {r.Cpu.AudioFfmpegCores:0.000}; {r.Cpu.CoresPerRoom:0.00} cores/room as run, {r.Cpu.FullRateCoresPerRoom:0.00} at full frame rate = {r.Cpu.FullRateRoomsPerCore:0.00} rooms/core"));
        foreach (var h in r.Health)
        {
            s.AppendLine(Invariant($"{h.Room}: {h.FramesRendered} ticks, {h.LateTicks} late, {h.SkippedFrames} skipped, {h.DroppedVideoFrames} video dropped, {h.VideoRestarts + h.AudioRestarts} ffmpeg restarts"));
        }
        return s.ToString();
    }

    private static string Markdown(FoundationResult r, string jsonName)
    {
        var m = r.Machine;
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "Foundation benchmark", r.StartedAt);
        ReportHeader.AppendCommand(s, r.Options.CommandLine);
        ReportHeader.AppendMachine(s, m);
        ReportHeader.AppendSoftware(s, "server GC", m.DotNet, m.Ffmpeg, m.EspeakNg);
        s.AppendLine(Invariant($"- Engine:AudioLeadMilliseconds {r.Options.EngineAudioLead:0} (the line's mouth moves that much after its first audio is placed; its caption is drawn on the frame of the tick that took it)"));
        s.AppendLine(Invariant($"- Avatar: {(r.Options.Avatar == FoundationOptions.Cartoon ? "the built-in cartoon" : "realistic: a package built by AvatarPackageBuilder from the labelled synthetic face video at the room's width (JPEG q90), lip-synced by the analytic Wav2Lip-contract fixture through the batched ONNX runner on the CPU (the avatar's own cost, not a real Wav2Lip's)")}"));
        s.AppendLine(Invariant($"- Rooms: {r.Options.Rooms} × {r.Options.Width}x{r.Options.Height} at {r.Options.Fps} fps (budget {r.BudgetMs:0} ms a frame), {(r.Options.VideoEncoder == FoundationOptions.InProcessVideo ? "libx264 in process with the default encoder settings (as the host runs it) + AAC in an ffmpeg process" : "libx264 (default settings) + AAC in ffmpeg processes (so /proc splits their CPU; the host default runs libx264 in process, see video-encode)")}, one shared espeak-ng synthesizer"));
        s.AppendLine(Invariant($"- Lines: {r.Lines.Count} ({r.Lines.Count(l => l.Command == "Enqueue")} Enqueue after idle, {r.Lines.Count(l => l.Command == "CueNow")} CueNow of which {r.Lines.Count(l => l.InterruptedALine)} cut a line; {r.Lines.Count(l => l.Language == "en")} en-us, {r.Lines.Count(l => l.Language == "zh")} cmn); timed window {r.Cpu.WallSeconds:0.0} s"));
        s.AppendLine(Invariant($"- Raw samples: `{jsonName}`"));
        s.AppendLine();
        s.AppendLine("## Cue latency (ms, from the controller call)");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lrrrr", "measure", "n", "p50", "p95", "max");
        foreach (var (name, d) in r.Latency) s.AppendLine(Invariant($"| {name.Trim()} | {d.Count} | {d.P50:0.0} | {d.P95:0.0} | {d.Max:0.0} |"));
        s.AppendLine();
        s.AppendLine("The two video rows are read from the frames the encoder published: \"showing the line\" is the first frame at or after the one of the tick that took the line (its caption is drawn on it), \"its first sound\" the first at or after the frame whose mouth shows the line's first audible sample (the audio lead after that sample was placed).");
        s.AppendLine();
        s.AppendLine(Invariant($"## Per-frame cost against the {r.BudgetMs:0} ms budget"));
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "llrrrrr", "stage", "how", "n", "p50 ms", "p50 %", "p95 ms", "p95 %");
        foreach (var st in r.Stages)
        {
            s.AppendLine(Invariant($"| {st.Stage} | {st.How} | {st.Ms.Count} | {st.Ms.P50:0.00} | {st.P50PercentOfBudget:0.0} | {st.Ms.P95:0.00} | {st.P95PercentOfBudget:0.0} |"));
        }
        s.AppendLine();
        s.AppendLine(Invariant($"TTS during the live run: {r.LiveTtsCpuMsPerSpeechFrame:0.00} ms of espeak-ng CPU per 40 ms of speech played (includes synthesis of cut lines that was never played)."));
        s.AppendLine();
        s.AppendLine("## CPU");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lr", "", "cores");
        s.AppendLine(Invariant($"| this process (engine, render, encoder plumbing, GC, espeak) | {r.Cpu.ProcessCores:0.000} |"));
        s.AppendLine(Invariant($"| of which the espeak-ng thread | {r.Cpu.EspeakCores:0.000} |"));
        s.AppendLine(Invariant($"| ffmpeg libx264 processes | {r.Cpu.VideoFfmpegCores:0.000} |"));
        s.AppendLine(Invariant($"| ffmpeg AAC processes | {r.Cpu.AudioFfmpegCores:0.000} |"));
        s.AppendLine(Invariant($"| **total** | **{r.Cpu.TotalCores:0.000}** |"));
        s.AppendLine(Invariant($"| **per room** | **{r.Cpu.CoresPerRoom:0.000}** |"));
        s.AppendLine(Invariant($"| per room at the full frame rate (CPU per frame made × fps) | {r.Cpu.FullRateCoresPerRoom:0.000} |"));
        s.AppendLine(Invariant($"| whole machine busy (all processes) | {r.Cpu.MachineBusyCores:0.000} |"));
        s.AppendLine(Invariant($"| other processes (not this benchmark) | {r.Cpu.OtherProcessesCores:0.000} |"));
        s.AppendLine();
        s.AppendLine(Invariant($"1-minute load average during the run: min {r.Cpu.LoadAverages.Min:0.0}, median {r.Cpu.LoadAverages.P50:0.0}, max {r.Cpu.LoadAverages.Max:0.0}. Wall-clock stages (render, tick, encode latency) and cue latencies stretch when other processes compete for the cores; the CPU figures do not."));
        s.AppendLine();
        s.AppendLine(Invariant($"Estimate: {r.Cpu.FullRateRoomsPerCore:0.00} rooms per core at this format, from the full-rate figure ({r.Cpu.FullRateRoomsPerCore * m.LogicalCores:0.0} on this {m.LogicalCores}-core machine if CPU were the only limit); {r.Cpu.RoomsPerCore:0.00} from the CPU actually used."));
        s.AppendLine();
        s.AppendLine("## Health");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lrrrrrrrr",
            "room", "ticks", "late ticks", "skipped frames", "video dropped", "H.264 out", "AAC out", "ffmpeg restarts", "probe drops");
        foreach (var h in r.Health)
        {
            s.AppendLine(Invariant($"| {h.Room} | {h.FramesRendered} | {h.LateTicks} | {h.SkippedFrames} | {h.DroppedVideoFrames} | {h.VideoFramesOut} | {h.AudioFramesOut} | {h.VideoRestarts + h.AudioRestarts} | {h.SubscriptionDrops} |"));
        }
        s.AppendLine();
        s.AppendLine("## Lines");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lrllrlrrrrrrrrl",
            "room", "#", "command", "lang", "chars", "cut a line", "cue→taken", "cue→first audio", "cue→audible", "taken frame", "sound frame", "cue→caption H.264 out", "cue→mouth H.264 out", "cue→AAC out", "finish");
        foreach (var l in r.Lines)
        {
            s.AppendLine(Invariant($"| {l.Room} | {l.Index} | {l.Command} | {(l.Language == "en" ? "en-us" : "cmn")} | {l.TextLength} | {(l.InterruptedALine ? "yes" : "")} | {l.CueToTakenMs:0.0} | {l.CueToFirstAudioMs:0.0} | {l.CueToAudibleMs:0.0} | {l.TakenFrame} | {l.AudibleFrame} | {l.CueToCaptionVideoOutMs:0.0} | {l.CueToVideoOutMs:0.0} | {l.CueToAudioOutMs:0.0} | {l.Finish} |"));
        }
        return s.ToString();
    }
}
