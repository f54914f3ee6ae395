namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// Spaces a room's Opus packets by their media time. The engine places a tick's audio (40 ms at 25 fps) at once, so
/// its two 20 ms packets leave in one burst; a browser's audio jitter buffer (NetEq) sizes itself to the arrival
/// jitter it sees, and a steady two-packet burst every 40 ms keeps it about a packet deeper than steady arrivals would.
/// <para>
/// A packet is due its pts distance after the previous packet's release, never before it is read, and never more than
/// its own duration after. And a packet that follows a held one is never held: pacing at exactly the media rate could
/// never drain a backlog (after a stall of the loop, or when the engine catches up by placing many ticks at once,
/// every later packet would trail by the whole backlog, for good: measured, 1.3 s, the queue's size). Holding at most
/// every other packet keeps the steady case (two packets a tick, the second held 20 ms) and drains a backlog at twice
/// the media rate; the audio never trails its arrival by more than 20 ms plus the backlog it is draining.
/// </para>
/// </summary>
public sealed class AudioPacer
{
    private long _lastPts90k = long.MinValue;
    private long _lastRelease;
    private bool _heldLast;

    /// <summary>How long to hold a packet with <paramref name="pts90k"/> that arrived at <paramref name="now"/>.</summary>
    /// <param name="frequency">Ticks per second of <paramref name="now"/> (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    public TimeSpan Hold(long pts90k, long now, long frequency)
    {
        var release = now;
        if (!_heldLast && _lastPts90k != long.MinValue && pts90k > _lastPts90k)
        {
            // One Opus packet's worth at most (pts steps of 1800 are 20 ms; a jump in pts, a restart, holds no longer).
            var spacing = Math.Min(pts90k - _lastPts90k, 1800) * frequency / 90_000;
            release = Math.Clamp(_lastRelease + spacing, now, now + spacing);
        }
        _lastPts90k = pts90k;
        _lastRelease = release;
        _heldLast = release > now;
        return TimeSpan.FromTicks((release - now) * TimeSpan.TicksPerSecond / frequency);
    }

    /// <summary>
    /// The last packet reached the viewers at <paramref name="timestamp"/> rather than when <see cref="Hold"/> released
    /// it (it waited for a video frame to carry it): the next packet's spacing counts from there.
    /// </summary>
    public void Released(long timestamp)
    {
        if (timestamp > _lastRelease) _lastRelease = timestamp;
    }
}
