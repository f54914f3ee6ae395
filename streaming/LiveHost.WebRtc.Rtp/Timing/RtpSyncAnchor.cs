namespace LiveHost.WebRtc.Rtp.Timing;

/// <summary>
/// One room's single link between media time and wall-clock time: the instant its media clock read
/// <see cref="MediaTime90k"/>. Every stream of the room maps media time to NTP through the same anchor, so a
/// browser that aligns each stream's sender-report NTP times (RFC 3550 §6.4.1) plays audio and video in sync.
/// </summary>
/// <param name="WallClock">Wall-clock time (from the injected TimeProvider) at which the media clock read <paramref name="MediaTime90k"/>.</param>
/// <param name="MediaTime90k">The room's 90 kHz media time at that instant (usually the first frame's PTS).</param>
public sealed record RtpSyncAnchor(DateTimeOffset WallClock, long MediaTime90k)
{
    /// <summary>The wall-clock instant at which media time <paramref name="pts90k"/> is (or was) live.</summary>
    public DateTimeOffset WallClockAt(long pts90k) => WallClock.AddTicks((pts90k - MediaTime90k) * TimeSpan.TicksPerSecond / 90_000);
}
