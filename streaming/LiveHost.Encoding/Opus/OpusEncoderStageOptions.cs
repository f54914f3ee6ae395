namespace LiveHost.Encoding.Opus;

/// <summary>Settings of a room's Opus encode.</summary>
public sealed class OpusEncoderStageOptions
{
    /// <summary>Mono speech and music at 64 kbit/s is transparent for a talking host (RFC 7587 §3.1.1 suggests 48–64 for fullband).</summary>
    public int Bitrate { get; init; } = 64_000;

    /// <summary>20 ms at 48 kHz: WebRTC's usual packet time, and what browsers expect with no ptime attribute.</summary>
    public int FrameSamples { get; init; } = 960;

    /// <summary>
    /// 0..10. Concentus is managed code: on the 2-core dev machine a 20 ms frame took about 1.1 ms at 5 and 1.8–3.5 ms
    /// at 10, for a difference in quality nobody hears in a talking voice at 64 kbit/s.
    /// </summary>
    public int Complexity { get; init; } = 5;

    /// <summary>48 kHz position of the first sample written (the room's media clock; 0 for a new room).</summary>
    public long FirstSamplePosition { get; init; }

    public void Validate()
    {
        if (Bitrate is < 6_000 or > 510_000) throw new ArgumentOutOfRangeException(nameof(Bitrate), Bitrate, "must be within 6000..510000");
        if (FrameSamples is not (120 or 240 or 480 or 960 or 1920 or 2880))
        {
            throw new ArgumentOutOfRangeException(nameof(FrameSamples), FrameSamples, "must be an Opus frame size at 48 kHz: 120, 240, 480, 960, 1920 or 2880");
        }
        if (Complexity is < 0 or > 10) throw new ArgumentOutOfRangeException(nameof(Complexity), Complexity, "must be within 0..10");
        if (FirstSamplePosition < 0) throw new ArgumentOutOfRangeException(nameof(FirstSamplePosition), FirstSamplePosition, "must not be negative");
    }
}
