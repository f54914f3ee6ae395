using System.Diagnostics;

namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// Maps the room's media time to the wall clock for RTCP sender reports. Re-anchored on every audio tick, so
/// when the engine skips frames (it fell behind) the reports follow the media timeline, not an old guess.
/// Audio and video share this one mapping, which is what lets the browser line lips up with sound.
/// </summary>
public sealed class RoomMediaClock(int framesPerSecond)
{
    private long _anchorFrame = -1;
    private long _anchorTimestamp;
    private readonly Lock _gate = new();

    public bool IsAnchored => Volatile.Read(ref _anchorFrame) >= 0;

    /// <summary>The engine produced tick <paramref name="frameIndex"/> at <paramref name="stopwatchTimestamp"/>.</summary>
    public void Anchor(long frameIndex, long stopwatchTimestamp)
    {
        lock (_gate)
        {
            _anchorFrame = frameIndex;
            _anchorTimestamp = stopwatchTimestamp;
        }
    }

    /// <summary>Media time now, in units of <paramref name="clockRate"/> (90 000 for video, 48 000 for audio).</summary>
    public long MediaTimeNow(int clockRate, long nowStopwatchTimestamp)
    {
        long frame, at;
        lock (_gate)
        {
            frame = _anchorFrame;
            at = _anchorTimestamp;
        }
        if (frame < 0) return 0;
        var sinceAnchor = (double)(nowStopwatchTimestamp - at) / Stopwatch.Frequency;
        return (long)Math.Round(((double)frame / framesPerSecond + sinceAnchor) * clockRate);
    }
}
