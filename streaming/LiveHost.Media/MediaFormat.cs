namespace LiveHost.Media;

/// <summary>
/// The shape of one room's media. Audio is the master clock: 48 kHz mono, and each video frame spans exactly
/// <see cref="SamplesPerFrame"/> samples, so the frame rate must divide 48 000 (25 and 30 both do).
/// Every encoded timestamp in LiveHost is on the 90 kHz clock, which both rates and AAC/Opus frame sizes divide.
/// </summary>
public sealed record MediaFormat(int Width, int Height, int FramesPerSecond)
{
    public const int AudioSampleRate = 48_000;
    public const int AudioChannels = 1;
    public const int Clock90k = 90_000;

    public int SamplesPerFrame => AudioSampleRate / FramesPerSecond;

    /// <summary>Bytes in one BGRA frame.</summary>
    public int FrameBytes => Width * Height * 4;

    public TimeSpan FrameDuration => TimeSpan.FromSeconds(1.0 / FramesPerSecond);

    public long VideoPts90k(long frameIndex) => frameIndex * Clock90k / FramesPerSecond;

    public static long AudioPts90k(long samplePosition) => samplePosition * Clock90k / AudioSampleRate;

    /// <summary>Returns null when the format is usable, otherwise what is wrong with it.</summary>
    public string? Validate()
    {
        if (FramesPerSecond is not (25 or 30)) return $"frame rate must be 25 or 30, not {FramesPerSecond}";
        if (Width < 160 || Width > 3840 || Width % 2 != 0) return $"width must be even and within 160..3840, not {Width}";
        if (Height < 120 || Height > 2160 || Height % 2 != 0) return $"height must be even and within 120..2160, not {Height}";
        return null;
    }
}
