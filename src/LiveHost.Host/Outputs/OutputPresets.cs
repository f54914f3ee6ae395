using LiveHost.Encoding;
using LiveHost.Media;

namespace LiveHost.Host.Outputs;

/// <summary>What a room's one encode delivers, as a platform preset checks it.</summary>
/// <param name="KeyframeIntervalSeconds">The encoders' fixed GOP: 2 s (X264Encoder and FfmpegCommandLine set keyint = 2 x fps).</param>
/// <param name="Cbr">True when the VBV peak equals the target rate, which is how libx264 does CBR for live.</param>
public sealed record RoomEncodeProfile(
    int Width, int Height, int Fps, double KeyframeIntervalSeconds, int VideoBitrateKbps, int VideoMaxRateKbps, bool Cbr,
    int AudioSampleRate, int AudioBitrateKbps)
{
    public static RoomEncodeProfile Of(MediaFormat format, EncoderOptions encoder) => new(
        format.Width, format.Height, format.FramesPerSecond, 2.0, encoder.VideoBitrateKbps, encoder.VideoMaxRateKbps,
        encoder.VideoMaxRateKbps == encoder.VideoBitrateKbps, MediaFormat.AudioSampleRate, encoder.AudioBitrateKbps);
}

/// <summary>
/// What one ingest expects. LiveHost encodes a room once for all its outputs, so a preset cannot change the encode per
/// output: it checks that the room's encode is what the platform takes, and refuses the output with the reason when not
/// (the operator then changes the <c>Encoder</c> settings). The limits are the platforms' published ingest guidance as
/// remembered when this was written (see CONTRACT-ADDITIONS.md, "Output presets"), not fetched from them.
/// </summary>
/// <param name="RequiresRtmps">The ingest takes rtmps:// only.</param>
/// <param name="MaxKeyframeIntervalSeconds">The longest keyframe interval the ingest accepts.</param>
/// <param name="RequiresCbr">The ingest wants constant bitrate.</param>
/// <param name="MaxVideoKbps">The highest video rate (the VBV peak) it takes at the room's resolution.</param>
/// <param name="AudioSampleRates">The AAC sample rates it takes.</param>
/// <param name="MaxAudioKbps">The highest AAC rate it takes.</param>
public sealed record OutputPreset(
    string Name, string Platform, bool RequiresRtmps, double MaxKeyframeIntervalSeconds, bool RequiresCbr,
    Func<RoomEncodeProfile, int> MaxVideoKbps, int[] AudioSampleRates, int MaxAudioKbps, int MaxHeight, int MaxFps)
{
    /// <summary>Each reason this ingest would refuse (or drop) a stream with this encode; empty when it takes it.</summary>
    public IReadOnlyList<string> Check(RoomEncodeProfile encode, bool secure)
    {
        var problems = new List<string>();
        if (RequiresRtmps && !secure) problems.Add($"{Platform} takes RTMPS only: use an rtmps:// URL");
        if (encode.KeyframeIntervalSeconds > MaxKeyframeIntervalSeconds)
            problems.Add($"{Platform} needs a keyframe at least every {MaxKeyframeIntervalSeconds:0.#} s; the room's encode has one every {encode.KeyframeIntervalSeconds:0.#} s");
        if (RequiresCbr && !encode.Cbr)
            problems.Add($"{Platform} expects constant bitrate; the room's encode peaks at {encode.VideoMaxRateKbps} kbit/s over a {encode.VideoBitrateKbps} kbit/s target (set Encoder:VideoMaxRateKbps = Encoder:VideoBitrateKbps)");
        var maxVideo = MaxVideoKbps(encode);
        if (encode.VideoMaxRateKbps > maxVideo)
            problems.Add($"{Platform} takes at most {maxVideo} kbit/s of video at {encode.Height}p; the room's encode peaks at {encode.VideoMaxRateKbps} kbit/s (Encoder:VideoMaxRateKbps)");
        if (!AudioSampleRates.Contains(encode.AudioSampleRate))
            problems.Add($"{Platform} takes AAC at {string.Join(" or ", AudioSampleRates.Select(r => $"{r} Hz"))}; the room's encode is {encode.AudioSampleRate} Hz");
        if (encode.AudioBitrateKbps > MaxAudioKbps)
            problems.Add($"{Platform} takes at most {MaxAudioKbps} kbit/s of audio; the room's encode has {encode.AudioBitrateKbps} kbit/s (Encoder:AudioBitrateKbps)");
        if (encode.Height > MaxHeight) problems.Add($"{Platform} takes at most {MaxHeight}p; the room is {encode.Width}x{encode.Height}");
        if (encode.Fps > MaxFps) problems.Add($"{Platform} takes at most {MaxFps} fps; the room runs at {encode.Fps}");
        return problems;
    }
}

/// <summary>The presets <c>POST .../outputs</c> and <c>Rooms:{room}:Outputs:N:Preset</c> accept.</summary>
public static class OutputPresets
{
    private static readonly int[] AacRates = [44_100, 48_000];

    // YouTube Live encoder settings: keyframe frequency 2 s recommended, at most 4 s; bitrates by resolution
    // (1080p up to about 10 Mbit/s at 30 fps, 12 at 60; 720p up to about 6); AAC 44.1 or 48 kHz, up to 384 kbit/s stereo;
    // RTMP and RTMPS both. CBR is recommended, not required.
    public static readonly OutputPreset YouTube = new("youtube", "YouTube Live", false, 4, false,
        e => e.Height switch { <= 480 => 4_000, <= 720 => 6_000, <= 1080 => e.Fps > 30 ? 12_000 : 10_000, _ => 51_000 },
        AacRates, 384, 2160, 60);

    // Twitch broadcast guidelines: keyframe interval 2 s, CBR, up to 6,000 kbit/s of video; AAC 44.1 or 48 kHz up to
    // 160 kbit/s; up to 1080p60.
    public static readonly OutputPreset Twitch = new("twitch", "Twitch", false, 2, true, _ => 6_000, AacRates, 160, 1080, 60);

    // Facebook Live: RTMPS only (rtmps://live-api-s.facebook.com:443/rtmp/), keyframe every 2 s, CBR recommended, up to
    // 1080p60 with at most about 9,000 kbit/s (4,000 at 720p); AAC 48 kHz recommended (44.1 accepted), 128 kbit/s.
    public static readonly OutputPreset Facebook = new("facebook", "Facebook Live", true, 2, false,
        e => e.Height <= 720 ? 4_000 : 9_000, AacRates, 256, 1080, 60);

    // Douyin (抖音) live push with a third-party encoder: H.264 + AAC over RTMP, keyframe interval 2 s (1 to 2 s),
    // up to 1080p, video up to about 6,000 kbit/s at 1080p (4,000 at 720p); AAC 44.1 or 48 kHz.
    public static readonly OutputPreset Douyin = new("douyin", "Douyin", false, 2, false,
        e => e.Height <= 720 ? 4_000 : 6_000, AacRates, 320, 1920, 60);

    // Any RTMP server: H.264 + AAC, a keyframe at least every 10 s; nothing else checked.
    public static readonly OutputPreset Generic = new("generic", "A generic RTMP server", false, 10, false,
        _ => int.MaxValue, [8_000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000], int.MaxValue, int.MaxValue, int.MaxValue);

    public static IReadOnlyList<OutputPreset> All { get; } = [YouTube, Twitch, Facebook, Douyin, Generic];

    public static string Names => string.Join(" | ", All.Select(p => p.Name));

    public static OutputPreset? Find(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when <paramref name="preset"/> (or none) takes this output, otherwise why not, in one sentence.</summary>
    public static string? Refusal(string? preset, RoomEncodeProfile encode, bool secure)
    {
        if (preset is null) return null;
        if (Find(preset) is not { } found) return $"unknown preset '{preset}'; expected {Names}";
        var problems = found.Check(encode, secure);
        return problems.Count == 0 ? null : $"preset '{found.Name}' refuses this output: {string.Join("; ", problems)}";
    }
}
