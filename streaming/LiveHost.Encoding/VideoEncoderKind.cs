namespace LiveHost.Encoding;

/// <summary>Where a room's libx264 runs; see <see cref="EncoderOptions.VideoEncoder"/>.</summary>
public enum VideoEncoderKind
{
    /// <summary>In this process through libx264.so.164: keyframes on request.</summary>
    Libx264,

    /// <summary>In an ffmpeg process fed through a pipe: keyframes only on the 2 s GOP.</summary>
    FfmpegProcess,
}
