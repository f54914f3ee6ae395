namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// Spaces a room's Opus packets by their media time. The engine places a tick's audio (40 ms at 25 fps) at once, so
/// its two 20 ms packets leave in one burst; a browser's audio jitter buffer (NetEq) sizes itself to the arrival
/// jitter it sees, and a steady two-packet burst every 40 ms keeps it about a packet deeper than steady arrivals would.
/// <para>
/// A packet is due its pts distance after the previous packet's release, and never before it arrived: a burst is
/// spread out, and a late packet (the engine fell behind) goes at once, so the pacer never lets the audio drift
/// behind its arrivals by more than one burst.
/// </para>
/// </summary>
public sealed class AudioPacer
{
    private long _lastPts90k = long.MinValue;
    private long _lastRelease;

    /// <summary>How long to hold a packet with <paramref name="pts90k"/> that arrived at <paramref name="now"/> (a Stopwatch-frequency timestamp).</summary>
    /// <param name="frequency">Ticks per second of <paramref name="now"/> (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    public TimeSpan Hold(long pts90k, long now, long frequency)
    {
        var release = now;
        if (_lastPts90k != long.MinValue && pts90k > _lastPts90k)
        {
            // At most one burst's worth (100 ms) of spacing: a jump in pts (a restart) must not stall the track.
            var spacing = Math.Min(pts90k - _lastPts90k, 9000) * frequency / 90_000;
            release = Math.Max(now, _lastRelease + spacing);
        }
        _lastPts90k = pts90k;
        _lastRelease = release;
        return TimeSpan.FromTicks((release - now) * TimeSpan.TicksPerSecond / frequency);
    }
}
