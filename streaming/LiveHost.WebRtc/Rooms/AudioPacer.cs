namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// Spaces a room's Opus packets by their media time. The engine places a tick's audio (40 ms at 25 fps) at once, so
/// its two 20 ms packets leave in one burst; a browser's audio jitter buffer (NetEq) sizes itself to the arrival
/// jitter it sees, and a steady two-packet burst every 40 ms keeps it about a packet deeper than steady arrivals would.
/// <para>
/// A packet is due its pts distance after the previous packet's release, never before it arrived, and never more than
/// its own duration after it arrived. The last bound matters: when the engine catches up after falling behind, it
/// places many ticks at once, and spacing all of them out would push every later packet back by the whole burst, for
/// good (arrivals never outpace the spacing again). Held at most one packet, the audio never trails its arrivals by
/// more than 20 ms.
/// </para>
/// </summary>
public sealed class AudioPacer
{
    private long _lastPts90k = long.MinValue;
    private long _lastRelease;

    /// <summary>How long to hold a packet with <paramref name="pts90k"/> that arrived at <paramref name="now"/>.</summary>
    /// <param name="frequency">Ticks per second of <paramref name="now"/> (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    public TimeSpan Hold(long pts90k, long now, long frequency)
    {
        var release = now;
        if (_lastPts90k != long.MinValue && pts90k > _lastPts90k)
        {
            // One Opus packet's worth at most (pts steps of 1800 are 20 ms; a jump in pts, a restart, holds no longer).
            var spacing = Math.Min(pts90k - _lastPts90k, 1800) * frequency / 90_000;
            release = Math.Clamp(_lastRelease + spacing, now, now + spacing);
        }
        _lastPts90k = pts90k;
        _lastRelease = release;
        return TimeSpan.FromTicks((release - now) * TimeSpan.TicksPerSecond / frequency);
    }
}
