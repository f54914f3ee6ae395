using System.Globalization;
using LiveHost.Media;

namespace LiveHost.Encoding.Ffmpeg;

/// <summary>
/// The ffmpeg arguments of a room's two encodes, built from small typed pieces. Inputs come from
/// the pipe sources (<c>-f rawvideo ...</c>, <c>-f s16le ...</c>); outputs from the pipe sinks (<c>-f flv</c>, <c>-f adts</c>).
/// </summary>
public static class FfmpegCommandLine
{
    /// <summary>Options that apply to the whole process: quiet, no progress lines (stderr is kept for crash logs only).</summary>
    public const string Quiet = "-hide_banner -nostats";

    public static string RawVideoInput(MediaFormat format) => string.Create(CultureInfo.InvariantCulture,
        $"-f rawvideo -pix_fmt bgra -video_size {format.Width}x{format.Height} -framerate {format.FramesPerSecond}");

    /// <summary>
    /// H.264 for live: Constrained Baseline (no B-frames, so output order is input order), zerolatency (no lookahead,
    /// sliced threads, so each frame comes out as soon as it is encoded), a fixed 2 s GOP without scene-cut IDRs,
    /// VBV-capped bitrate, and a packet flush after every frame.
    /// </summary>
    public static string H264Output(MediaFormat format, EncoderOptions options)
    {
        var gop = 2 * format.FramesPerSecond;
        var threads = options.Threads > 0 ? string.Create(CultureInfo.InvariantCulture, $" -threads {options.Threads}") : string.Empty;
        if (!string.IsNullOrWhiteSpace(options.X264Params)) threads += $" -x264-params {options.X264Params}";
        var codec = string.Create(CultureInfo.InvariantCulture, $"-an -c:v libx264 -preset {options.Preset} -tune zerolatency -profile:v baseline -bf 0");
        var gopArgs = string.Create(CultureInfo.InvariantCulture, $"-g {gop} -keyint_min {gop} -sc_threshold 0 -pix_fmt yuv420p");
        var rate = string.Create(CultureInfo.InvariantCulture, $"-b:v {options.VideoBitrateKbps}k -maxrate {options.VideoMaxRateKbps}k -bufsize {options.VideoBufferSizeKbits}k");
        return $"{codec} {gopArgs} {rate}{threads} -fps_mode passthrough -flvflags no_duration_filesize -flush_packets 1";
    }

    public static string PcmAudioInput() => string.Create(CultureInfo.InvariantCulture,
        $"-f s16le -ar {MediaFormat.AudioSampleRate} -ac {MediaFormat.AudioChannels}");

    /// <summary>ffmpeg's native AAC-LC encoder (the configured coder) at the room's rate and channel count, one packet flushed per frame.</summary>
    public static string AacOutput(EncoderOptions options) => string.Create(CultureInfo.InvariantCulture,
        $"-vn -c:a aac -aac_coder {options.AacCoder} -b:a {options.AudioBitrateKbps}k -ar {MediaFormat.AudioSampleRate} -ac {MediaFormat.AudioChannels} -flush_packets 1");
}
