namespace LiveHost.Encoding;

/// <summary>
/// How a room's <see cref="RoomEncoder"/> encodes (configuration section "Encoder"). Every default is what the
/// embedded room uses; <see cref="Validate"/> reports what is wrong with a configuration before anything starts.
/// </summary>
public sealed class EncoderOptions
{
    public const string SectionName = "Encoder";

    /// <summary>
    /// Which libx264 codes the video. <see cref="VideoEncoderKind.Libx264"/> (default) runs it in this process and
    /// answers keyframe requests with an IDR on the next frame; <see cref="VideoEncoderKind.FfmpegProcess"/> runs
    /// it in an ffmpeg process, which cannot, so viewers wait for the next GOP (up to 2 s).
    /// </summary>
    public VideoEncoderKind VideoEncoder { get; set; } = VideoEncoderKind.Libx264;

    /// <summary>
    /// Least time between IDR pictures forced by keyframe requests; requests inside it wait, coalesced. Default 500 ms.
    /// </summary>
    public TimeSpan MinForcedKeyframeInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// libx264 preset; faster presets trade bits for CPU. Default <c>superfast</c>: on the cartoon room's frames it
    /// costs about a quarter less CPU than <c>veryfast</c> at the same bitrate, with PSNR and SSIM no worse
    /// (<c>perf ... encode-quality</c>).
    /// </summary>
    public string Preset { get; set; } = "superfast";

    /// <summary>Target video bitrate in kbit/s (<c>-b:v</c>). Default 2500.</summary>
    public int VideoBitrateKbps { get; set; } = 2500;

    /// <summary>VBV peak rate in kbit/s (<c>-maxrate</c>). Default 2500.</summary>
    public int VideoMaxRateKbps { get; set; } = 2500;

    /// <summary>VBV buffer in kbit (<c>-bufsize</c>). Default 2500, i.e. one second at the peak rate.</summary>
    public int VideoBufferSizeKbits { get; set; } = 2500;

    /// <summary>
    /// libx264 threads (<c>-threads</c>); 0 lets x264 choose (sliced threads, one slice each). Default 1: several rooms
    /// share the cores better with one thread each, and one slice per picture codes a little better.
    /// </summary>
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Further libx264 settings applied after the preset, as ffmpeg's <c>-x264-params</c> takes them:
    /// <c>name=value</c> pairs joined by <c>:</c> (e.g. <c>subme=2:me=dia</c>). Empty: the preset's own. Default
    /// <c>partitions=none</c> (16x16 macroblock partitions only): on 30 s of the cartoon room's frames it takes about
    /// 7% less x264 CPU than superfast's own analysis at the same bitrate, 0.08 dB PSNR lower. <c>subme=0:partitions=none</c>
    /// saves twice that but costs 0.64 dB PSNR, past the 0.5 dB allowed (<c>perf ... encode-quality</c>,
    /// perf/results/2026-12-04-1649-encode-quality.md).
    /// </summary>
    public string X264Params { get; set; } = "partitions=none";

    /// <summary><see cref="X264Params"/> as name/value pairs, in order (empty when there are none).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> X264ParamPairs() =>
        string.IsNullOrWhiteSpace(X264Params) ? []
            : X264Params.Split(':').Select(pair => pair.Split('=', 2)).Select(kv => KeyValuePair.Create(kv[0], kv.Length > 1 ? kv[1] : "")).ToArray();

    /// <summary>
    /// libx264 in process only: tell x264 which 16x16 macroblocks are byte for byte the previous frame's (x264's
    /// <c>mb_info</c>, found exactly from the rows the drawing stage changed), so it codes them as skipped without
    /// analysing them, as long as the previous frame's reference there is at least as good as this frame's QP. A
    /// speaking room changes a mouth and a caption, a few percent of the picture. Default true.
    /// </summary>
    public bool SkipUnchangedMacroblocks { get; set; } = true;

    /// <summary>
    /// Raw video frames that may wait for the video encoder before new ones are dropped (each holds a BGRA frame:
    /// 3.5 MiB at 720p). The bound is for an encoder that is really behind; it must outlast a busy machine's
    /// scheduling hiccups, in which an encode that keeps up on average waits a few frames: 4 (160 ms at 25 fps) was
    /// reached by 8 rooms on 2 cores at 92 % busy. Default 8 (320 ms at 25 fps; at most 28 MiB a 720p room).
    /// </summary>
    public int VideoQueueCapacity { get; set; } = 8;

    /// <summary>
    /// Nice value of each room's x264 encode thread on Linux (0-19; 0 leaves it at the process's). The room's clock
    /// must draw each tick on time, while the encode may lag a few frames in <see cref="VideoQueueCapacity"/>: a few
    /// levels lower lets a waking clock take the CPU first on a full machine, and costs nothing on one with CPU to
    /// spare. Lowering needs no privilege. Default 5.
    /// </summary>
    public int EncodeThreadNice { get; set; } = 5;

    /// <summary>AAC bitrate in kbit/s. Default 128.</summary>
    public int AudioBitrateKbps { get; set; } = 128;

    /// <summary>
    /// ffmpeg's AAC coder (<c>-aac_coder</c>): <c>fast</c>, <c>twoloop</c> (ffmpeg's own default) or <c>anmr</c>.
    /// Default <c>fast</c>: on the room's mono 48 kHz speech at 128 kbit/s it takes about half of twoloop's CPU, with a
    /// waveform SNR no worse (perf/results/2026-12-04-*-aac-coder.md).
    /// </summary>
    public string AacCoder { get; set; } = "fast";

    /// <summary>The AAC coders ffmpeg's native encoder knows.</summary>
    public static IReadOnlyList<string> AacCoders { get; } = ["fast", "twoloop", "anmr"];

    /// <summary>
    /// Least time between two starts of an ffmpeg process that keeps exiting unexpectedly: one that ran at least this
    /// long is started again at once, one that died sooner waits out the rest. An x264 encoder that failed waits this
    /// long before it is opened again. Default 1 s.
    /// </summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long <see cref="RoomEncoder.StartAsync"/> waits for the encoders to open their inputs. Default 10 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposal lets ffmpeg flush before it is killed. Default 5 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Folder holding the ffmpeg binary; null or empty finds <c>ffmpeg</c> on PATH. Default null.</summary>
    public string? FfmpegFolder { get; set; }

    /// <summary>Last stderr lines of each ffmpeg process kept for the log when it dies. Default 20.</summary>
    public int StderrLinesKept { get; set; } = 20;

    /// <summary>Encode latencies kept for <see cref="EncodeLatencyStats"/>. Default 512.</summary>
    public int LatencySamplesKept { get; set; } = 512;

    // Syntax only (x264 itself refuses an unknown name or a bad value when the encoder opens, at start).
    private string? X264ParamsProblem()
    {
        if (X264Params is null) return "x264 params must be a string (empty for none)";
        foreach (var (name, value) in X264ParamPairs())
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
                || value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or ',' or '-' or '_'))
            {
                return $"x264 params must be name=value pairs joined by ':' (e.g. subme=2:me=dia), not '{X264Params}'";
            }
        }
        return null;
    }

    /// <summary>Returns null when usable, otherwise what is wrong.</summary>
    public string? Validate()
    {
        if (!Enum.IsDefined(VideoEncoder)) return $"video encoder must be Libx264 or FfmpegProcess, not '{VideoEncoder}'";
        if (MinForcedKeyframeInterval < TimeSpan.Zero || MinForcedKeyframeInterval > TimeSpan.FromSeconds(10)) return $"min forced keyframe interval must be within 0..10 s, not {MinForcedKeyframeInterval}";
        if (string.IsNullOrWhiteSpace(Preset) || !Preset.All(char.IsAsciiLetterLower)) return $"preset must be an x264 preset name, not '{Preset}'";
        if (VideoBitrateKbps is < 50 or > 100_000) return $"video bitrate must be within 50..100000 kbit/s, not {VideoBitrateKbps}";
        if (VideoMaxRateKbps < VideoBitrateKbps) return $"video max rate ({VideoMaxRateKbps}) must be at least the bitrate ({VideoBitrateKbps})";
        if (VideoBufferSizeKbits is < 50 or > 200_000) return $"video buffer size must be within 50..200000 kbit, not {VideoBufferSizeKbits}";
        if (Threads is < 0 or > 64) return $"threads must be within 0..64, not {Threads}";
        if (X264ParamsProblem() is { } x264) return x264;
        if (VideoQueueCapacity is < 1 or > 1024) return $"video queue capacity must be within 1..1024, not {VideoQueueCapacity}";
        if (EncodeThreadNice is < 0 or > 19) return $"encode thread nice must be within 0..19, not {EncodeThreadNice}";
        if (AudioBitrateKbps is < 16 or > 512) return $"audio bitrate must be within 16..512 kbit/s, not {AudioBitrateKbps}";
        if (AacCoder is null || !AacCoders.Contains(AacCoder, StringComparer.Ordinal)) return $"AAC coder must be one of {string.Join(", ", AacCoders)}, not '{AacCoder}'";
        if (RestartBackoff < TimeSpan.Zero || RestartBackoff > TimeSpan.FromMinutes(1)) return $"restart backoff must be within 0..60 s, not {RestartBackoff}";
        if (StartTimeout <= TimeSpan.Zero || StartTimeout > TimeSpan.FromMinutes(5)) return $"start timeout must be within 0..300 s, not {StartTimeout}";
        if (ShutdownTimeout <= TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromMinutes(1)) return $"shutdown timeout must be within 0..60 s, not {ShutdownTimeout}";
        if (StderrLinesKept is < 1 or > 1000) return $"stderr lines kept must be within 1..1000, not {StderrLinesKept}";
        if (LatencySamplesKept is < 1 or > 100_000) return $"latency samples kept must be within 1..100000, not {LatencySamplesKept}";
        return null;
    }
}
