using LiveHost.Engine.Lines;
using LiveHost.Media;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.Foundation;

/// <summary>One scripted line's latencies, every one measured from the moment the command was sent (ms).</summary>
public sealed record LineLatency(
    string Room,
    int Index,
    string Command,
    string Language,
    int TextLength,
    bool InterruptedALine,
    double CommandCallMs,
    double CueToTakenMs,
    double CueToFirstAudioMs,
    double CueToAudibleMs,
    double CueToCaptionVideoOutMs,
    double CueToVideoOutMs,
    double CueToAudioOutMs,
    double AudibleTickToVideoOutMs,
    double AudibleTickToAudioOutMs,
    long TakenFrame,
    long AudibleFrame,
    bool CaptionFrameExact,
    bool VideoFrameExact,
    string? Finish);

/// <summary>One per-frame cost against the frame budget.</summary>
public sealed record StageCost(string Stage, string How, Distribution Ms, double BudgetMs)
{
    public double P50PercentOfBudget => Ms.P50 / BudgetMs * 100;
    public double P95PercentOfBudget => Ms.P95 / BudgetMs * 100;
}

/// <summary>Where the CPU went during the timed part of the run, in cores (CPU seconds per wall second).</summary>
/// <param name="MachineBusyCores">Every process on the machine, this run included: what else competed for the CPU shows as the difference.</param>
/// <param name="LoadAverages">The 1-minute load average at each reading.</param>
/// <param name="FullRateCoresPerRoom">
/// CPU per room if every frame were made: the process's CPU per frame rendered and x264's per frame encoded, times the
/// frame rate, plus AAC. Differs from <see cref="CoresPerRoom"/> when the room skipped or dropped frames (a starved machine).
/// </param>
public sealed record CpuUse(double WallSeconds, double ProcessCores, double EspeakCores, double VideoFfmpegCores, double AudioFfmpegCores, int Rooms, double MachineBusyCores, Distribution LoadAverages, double FullRateCoresPerRoom)
{
    public double FullRateRoomsPerCore => FullRateCoresPerRoom > 0 ? 1 / FullRateCoresPerRoom : double.NaN;

    public double OtherProcessesCores => MachineBusyCores - TotalCores;

    public double TotalCores => ProcessCores + VideoFfmpegCores + AudioFfmpegCores;
    public double CoresPerRoom => TotalCores / Rooms;
    public double RoomsPerCore => CoresPerRoom > 0 ? 1 / CoresPerRoom : double.NaN;
}

/// <summary>Counters that say whether the run was healthy: nothing dropped, nothing late, no restarts.</summary>
public sealed record RoomHealthCounters(string Room, long FramesRendered, long LateTicks, long SkippedFrames, long DroppedVideoFrames, long VideoFramesOut, long AudioFramesOut, long VideoRestarts, long AudioRestarts, long SubscriptionDrops);

/// <summary>Everything a <c>foundation</c> run measured, summarised, with the raw samples kept for the JSON file.</summary>
public sealed record FoundationResult(
    DateTimeOffset StartedAt,
    FoundationOptions Options,
    MachineInfo Machine,
    IReadOnlyList<LineLatency> Lines,
    IReadOnlyDictionary<string, Distribution> Latency,
    IReadOnlyList<StageCost> Stages,
    CpuUse Cpu,
    double LiveTtsCpuMsPerSpeechFrame,
    IReadOnlyList<RoomHealthCounters> Health,
    IReadOnlyList<TtsLineCost> TtsCalibration,
    IReadOnlyDictionary<string, double[]> RawPerFrameMs)
{
    public double BudgetMs => 1000.0 / Options.Fps;
}

/// <summary>Turns what the probes and the sampler saw into a <see cref="FoundationResult"/>.</summary>
public static class FoundationAnalysis
{
    public static FoundationResult Analyze(
        DateTimeOffset startedAt,
        FoundationOptions options,
        MachineInfo machine,
        IReadOnlyList<RoomProbe> probes,
        IReadOnlyList<IReadOnlyList<LineProgress>> sent,
        IReadOnlyList<RoomHealthCounters> health,
        CpuReading first,
        CpuReading last,
        IReadOnlyList<CpuReading> readings,
        IReadOnlyList<TtsLineCost> tts)
    {
        var format = new MediaFormat(options.Width, options.Height, options.Fps);
        var budget = 1000.0 / options.Fps;
        var lines = new List<LineLatency>();
        long speechFrames = 0;
        for (var r = 0; r < probes.Count; r++)
        {
            var video = probes[r].VideoFrames();
            var audio = probes[r].AudioFrames();
            foreach (var p in sent[r])
            {
                lines.Add(Latency(probes[r].Name, p, format, video, audio, probes[r]));
                if (p.FinishedFrame >= 0 && p.FirstAudioFrame >= 0) speechFrames += p.FinishedFrame - p.FirstAudioFrame;
            }
        }

        var latency = new Dictionary<string, Distribution>(StringComparer.Ordinal)
        {
            ["cue → first audio sample placed (engine)"] = Distribution.Of(lines.Select(l => l.CueToFirstAudioMs)),
            ["cue → first audible sample placed (engine)"] = Distribution.Of(lines.Select(l => l.CueToAudibleMs)),
            ["cue → first encoded frame showing the line (caption)"] = Distribution.Of(lines.Select(l => l.CueToCaptionVideoOutMs)),
            ["cue → first encoded frame of its first sound (mouth)"] = Distribution.Of(lines.Select(l => l.CueToVideoOutMs)),
            ["cue → first encoded audio frame (AAC out)"] = Distribution.Of(lines.Select(l => l.CueToAudioOutMs)),
            ["  Enqueue after idle: cue → audible placed"] = Distribution.Of(lines.Where(l => l.Command == nameof(CueCommand.Enqueue)).Select(l => l.CueToAudibleMs)),
            ["  CueNow over a line: cue → audible placed"] = Distribution.Of(lines.Where(l => l.Command == nameof(CueCommand.CueNow)).Select(l => l.CueToAudibleMs)),
            ["  en-us: cue → audible placed"] = Distribution.Of(lines.Where(l => l.Language == "en").Select(l => l.CueToAudibleMs)),
            ["  cmn: cue → audible placed"] = Distribution.Of(lines.Where(l => l.Language == "zh").Select(l => l.CueToAudibleMs)),
            ["  TTS alone: request → first chunk (calibration, wall)"] = Distribution.Of(tts.Select(t => t.FirstChunkMs)),
            ["  engine took line → first audio placed"] = Distribution.Of(lines.Select(l => l.CueToFirstAudioMs - l.CueToTakenMs)),
            ["  audible sample placed → its mouth's frame out"] = Distribution.Of(lines.Select(l => l.AudibleTickToVideoOutMs)),
            ["  audible tick → its AAC frame out"] = Distribution.Of(lines.Select(l => l.AudibleTickToAudioOutMs)),
        };

        // Per-frame costs over the timed window only.
        var ticks = probes.SelectMany(p => p.Ticks()).Where(t => t.HandedToEncoderTimestamp >= first.Timestamp && t.HandedToEncoderTimestamp <= last.Timestamp).ToArray();
        var videoLatency = probes.SelectMany(p => p.VideoFrames()).Where(f => f.PublishedTimestamp >= first.Timestamp && f.PublishedTimestamp <= last.Timestamp)
            .Select(f => Ms(f.PublishedTimestamp - f.SourceTimestamp)).ToArray();
        var audioLatency = probes.SelectMany(p => p.AudioFrames()).Where(f => f.PublishedTimestamp >= first.Timestamp && f.PublishedTimestamp <= last.Timestamp)
            .Select(f => Ms(f.PublishedTimestamp - f.SourceTimestamp)).ToArray();
        var ttsPerFrame = tts.Select(t => t.CpuMsPerFrame(budget)).ToArray();
        var videoCpuPerFrame = Windows(readings, (a, b, r) => PerUnit(b.Rooms[r].VideoFfmpeg - a.Rooms[r].VideoFfmpeg, b.Rooms[r].VideoFramesOut - a.Rooms[r].VideoFramesOut));
        var audioCpuPerFrame = Windows(readings, (a, b, r) => PerUnit(b.Rooms[r].AudioFfmpeg - a.Rooms[r].AudioFfmpeg,
            (b.Rooms[r].AudioFramesOut - a.Rooms[r].AudioFramesOut) * 1024.0 / format.SamplesPerFrame));
        var processCpuPerFrame = Windows(readings, (a, b, r) => r > 0 ? double.NaN : PerUnit(b.Process - a.Process - (b.Espeak - a.Espeak),
            b.Rooms.Sum(x => x.FramesRendered) - a.Rooms.Sum(x => x.FramesRendered)));

        var raw = new Dictionary<string, double[]>(StringComparer.Ordinal)
        {
            ["tts_cpu_ms_per_frame_per_line"] = ttsPerFrame,
            ["render_ms"] = ticks.Select(t => t.RenderMs).ToArray(),
            ["engine_encoder_write_ms"] = ticks.Select(t => t.EncoderWriteMs).ToArray(),
            ["engine_tick_ms"] = ticks.Select(t => t.TickMs).ToArray(),
            ["video_ffmpeg_cpu_ms_per_frame_1s_windows"] = videoCpuPerFrame,
            ["audio_ffmpeg_cpu_ms_per_40ms_1s_windows"] = audioCpuPerFrame,
            ["process_cpu_ms_per_frame_excl_espeak_1s_windows"] = processCpuPerFrame,
            ["video_tick_to_published_ms"] = videoLatency,
            ["audio_tick_to_published_ms"] = audioLatency,
        };
        var stages = new List<StageCost>
        {
            new("TTS", "espeak-ng thread CPU per 40 ms of audio, per line (calibration pass, scheduler ns)", Distribution.Of(ttsPerFrame), budget),
            new("Render", $"compose one {options.Width}x{options.Height} frame on the engine loop (wall)", Distribution.Of(raw["render_ms"]), budget),
            new("Encode: engine write", "engine's call into the encoder per tick (wall)", Distribution.Of(raw["engine_encoder_write_ms"]), budget),
            new("Encode: video ffmpeg", "libx264 process CPU per frame out (/proc, 1 s windows)", Distribution.Of(videoCpuPerFrame), budget),
            new("Encode: audio ffmpeg", "AAC process CPU per 40 ms of audio out (/proc, 1 s windows)", Distribution.Of(audioCpuPerFrame), budget),
            new("Whole tick", "one engine tick: commands, audio, render, write (wall)", Distribution.Of(raw["engine_tick_ms"]), budget),
            new(".NET process", "process CPU minus espeak per frame rendered (all rooms, 1 s windows)", Distribution.Of(processCpuPerFrame), budget),
            new("Encode latency: video", "tick handed to encoder → H.264 frame published (wall)", Distribution.Of(videoLatency), budget),
            new("Encode latency: audio", "tick with an AAC frame's last sample → AAC frame published (wall)", Distribution.Of(audioLatency), budget),
        };

        var wall = Ms(last.Timestamp - first.Timestamp) / 1000;
        var cpu = new CpuUse(
            wall,
            (last.Process - first.Process).TotalSeconds / wall,
            (last.Espeak - first.Espeak).TotalSeconds / wall,
            Enumerable.Range(0, probes.Count).Sum(r => (last.Rooms[r].VideoFfmpeg - first.Rooms[r].VideoFfmpeg).TotalSeconds) / wall,
            Enumerable.Range(0, probes.Count).Sum(r => (last.Rooms[r].AudioFfmpeg - first.Rooms[r].AudioFfmpeg).TotalSeconds) / wall,
            probes.Count,
            last.MachineTotalJiffies > first.MachineTotalJiffies
                ? (double)(last.MachineBusyJiffies - first.MachineBusyJiffies) / (last.MachineTotalJiffies - first.MachineTotalJiffies) * Environment.ProcessorCount
                : double.NaN,
            Distribution.Of(readings.Select(x => x.LoadAverage)),
            FullRate(first, last, options.Fps, probes.Count));
        var liveTts = speechFrames > 0 ? (last.Espeak - first.Espeak).TotalMilliseconds / speechFrames : double.NaN;

        return new FoundationResult(startedAt, options, machine, lines, latency, stages, cpu, liveTts, health, tts, raw);
    }

    private static LineLatency Latency(string room, LineProgress p, MediaFormat format, PublishedFrame[] video, PublishedFrame[] audio, RoomProbe probe)
    {
        var script = p.Script!;
        var audibleFrame = p.AudibleFrame >= 0 ? p.AudibleFrame : p.FirstAudioFrame;
        var audibleSample = p.AudibleSample >= 0 ? p.AudibleSample : p.FirstAudioFrame * format.SamplesPerFrame;
        var audibleTimestamp = p.AudibleFrame >= 0 ? p.AudibleTimestamp : p.FirstAudioTimestamp;

        // The frames the encoder published: the first of the tick that took the line (its caption is drawn on it) and
        // the first of the tick whose picture shows the line's first sound (its mouth: the audio lead after that sound
        // was placed). At or after, as a skipped tick leaves no frame of its own.
        var captionPts = format.VideoPts90k(p.TakenFrame);
        var captionOut = video.FirstOrDefault(f => f.Pts90k >= captionPts && f.PublishedTimestamp >= p.CommandTimestamp);
        var targetPts = format.VideoPts90k(audibleFrame);
        var videoOut = video.FirstOrDefault(f => f.Pts90k >= targetPts && f.PublishedTimestamp >= p.CommandTimestamp);
        // An AAC frame starting at sample s covers [s, s + 1024).
        var audioOut = audio.FirstOrDefault(f => f.Pts90k * MediaFormat.AudioSampleRate / MediaFormat.Clock90k + 1024 > audibleSample && f.PublishedTimestamp >= p.CommandTimestamp);
        var interrupted = p.InterruptedLineId is { } id && probe.Line(id).Finish == FinishReason.Interrupted;

        return new LineLatency(
            room, script.Index, script.Command.ToString(), script.Language, script.Text.Length, interrupted,
            CommandCallMs: Ms(p.AcceptedTimestamp - p.CommandTimestamp),
            CueToTakenMs: Ms(p.TakenTimestamp - p.CommandTimestamp),
            CueToFirstAudioMs: Ms(p.FirstAudioTimestamp - p.CommandTimestamp),
            CueToAudibleMs: Ms(audibleTimestamp - p.CommandTimestamp),
            CueToCaptionVideoOutMs: p.TakenFrame >= 0 && captionOut.PublishedTimestamp > 0 ? Ms(captionOut.PublishedTimestamp - p.CommandTimestamp) : double.NaN,
            CueToVideoOutMs: videoOut.PublishedTimestamp > 0 ? Ms(videoOut.PublishedTimestamp - p.CommandTimestamp) : double.NaN,
            CueToAudioOutMs: audioOut.PublishedTimestamp > 0 ? Ms(audioOut.PublishedTimestamp - p.CommandTimestamp) : double.NaN,
            AudibleTickToVideoOutMs: videoOut.PublishedTimestamp > 0 ? Ms(videoOut.PublishedTimestamp - audibleTimestamp) : double.NaN,
            AudibleTickToAudioOutMs: audioOut.PublishedTimestamp > 0 ? Ms(audioOut.PublishedTimestamp - audibleTimestamp) : double.NaN,
            p.TakenFrame,
            audibleFrame,
            CaptionFrameExact: captionOut.Pts90k == captionPts,
            VideoFrameExact: videoOut.Pts90k == targetPts,
            Finish: p.Finish?.ToString());
    }

    private static double FullRate(CpuReading first, CpuReading last, int fps, int rooms)
    {
        var rendered = last.Rooms.Sum(r => r.FramesRendered) - first.Rooms.Sum(r => r.FramesRendered);
        var encoded = last.Rooms.Sum(r => r.VideoFramesOut) - first.Rooms.Sum(r => r.VideoFramesOut);
        var wall = Ms(last.Timestamp - first.Timestamp) / 1000;
        if (rendered <= 0 || encoded <= 0 || wall <= 0) return double.NaN;
        var process = (last.Process - first.Process).TotalSeconds / rendered * fps;
        var video = Enumerable.Range(0, rooms).Sum(r => (last.Rooms[r].VideoFfmpeg - first.Rooms[r].VideoFfmpeg).TotalSeconds) / encoded * fps;
        var audio = Enumerable.Range(0, rooms).Sum(r => (last.Rooms[r].AudioFfmpeg - first.Rooms[r].AudioFfmpeg).TotalSeconds) / wall / rooms;
        return process + video + audio;
    }

    /// <summary>One value per room per pair of consecutive readings.</summary>
    private static double[] Windows(IReadOnlyList<CpuReading> readings, Func<CpuReading, CpuReading, int, double> value)
    {
        var values = new List<double>();
        for (var i = 1; i < readings.Count; i++)
        {
            for (var r = 0; r < readings[i].Rooms.Count; r++)
            {
                var v = value(readings[i - 1], readings[i], r);
                if (double.IsFinite(v)) values.Add(v);
            }
        }
        return [.. values];
    }

    private static double PerUnit(TimeSpan cpu, double units) => units > 0 ? cpu.TotalMilliseconds / units : double.NaN;

    private static double Ms(long stopwatchTicks) => stopwatchTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
