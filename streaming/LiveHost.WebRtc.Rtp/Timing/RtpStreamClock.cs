using System.Security.Cryptography;

namespace LiveHost.WebRtc.Rtp.Timing;

/// <summary>
/// Turns one stream's media time into RTP timestamps: the media clock at the stream's rate plus a random initial
/// offset (RFC 3550 §5.1), modulo 2^32. Video uses the 90 kHz clock (so a PTS maps one to one), Opus audio 48 kHz
/// sample positions. Together with the room's current <see cref="RtpSyncAnchor"/> it gives the (NTP, RTP) pair of a
/// sender report; because both streams of a room use the same anchor, the same media time maps to the same NTP time
/// in both, which is what lip sync in the browser rests on. <see cref="LiveHost.WebRtc.Rooms"/>' room stream holds
/// one per track.
/// </summary>
public sealed class RtpStreamClock
{
    public const int VideoClockRate = 90_000;
    public const int AudioClockRate = 48_000;

    /// <param name="clockRate">Ticks per second of this stream's RTP timestamp (90 000 for video, 48 000 for Opus).</param>
    /// <param name="initialTimestamp">The RTP timestamp of media time zero; pass <see cref="RandomInitialTimestamp"/> in production.</param>
    public RtpStreamClock(int clockRate, uint initialTimestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ClockRate = clockRate;
        InitialTimestamp = initialTimestamp;
    }

    public int ClockRate { get; }
    public uint InitialTimestamp { get; }

    public static RtpStreamClock ForVideo(uint initialTimestamp) => new(VideoClockRate, initialTimestamp);

    public static RtpStreamClock ForAudio(uint initialTimestamp) => new(AudioClockRate, initialTimestamp);

    /// <summary>Unpredictable per RFC 3550 §5.1; also usable for SSRCs and initial sequence numbers.</summary>
    public static uint RandomInitialTimestamp() => (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);

    /// <summary>The RTP timestamp of a 90 kHz media time (a video PTS, or an audio PTS on the room's clock).</summary>
    public uint FromPts90k(long pts90k) => FromClockTicks(ClockRate == VideoClockRate ? pts90k : Scale(pts90k, ClockRate, VideoClockRate));

    /// <summary>The RTP timestamp of a 48 kHz sample position (the first sample of an Opus frame).</summary>
    public uint FromSamples48k(long samplePosition) => FromClockTicks(ClockRate == AudioClockRate ? samplePosition : Scale(samplePosition, ClockRate, AudioClockRate));

    /// <summary>The RTP timestamp of a media time already counted in this stream's own clock ticks.</summary>
    public uint FromClockTicks(long ticks) => unchecked(InitialTimestamp + (uint)(ulong)ticks);

    /// <summary>
    /// The (NTP, RTP) pair for a sender report sent at <paramref name="wallClockNow"/>: the NTP time is that instant,
    /// and the RTP timestamp is where this stream's clock stands at that instant per the room's <paramref name="anchor"/>,
    /// whether or not a packet carried it (RFC 3550 §6.4.1).
    /// </summary>
    public (NtpTimestamp Ntp, uint RtpTimestamp) SenderReportTimes(RtpSyncAnchor anchor, DateTimeOffset wallClockNow)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var anchorTicks = Scale(anchor.MediaTime90k, ClockRate, VideoClockRate);
        var sinceAnchor = (wallClockNow - anchor.WallClock).Ticks;
        var elapsedTicks = (long)Math.Round((double)sinceAnchor * ClockRate / TimeSpan.TicksPerSecond);
        return (NtpTimestamp.FromDateTimeOffset(wallClockNow), FromClockTicks(anchorTicks + elapsedTicks));
    }

    private static long Scale(long value, int toRate, int fromRate) => (long)Math.Round((decimal)value * toRate / fromRate, MidpointRounding.ToEven);
}
