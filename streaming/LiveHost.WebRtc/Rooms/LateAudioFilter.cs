namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// Drops Opus packets that a stall has made late, instead of sending them in one burst when the process runs again
/// (issue 17). A browser's audio jitter buffer (NetEq) sizes itself to the arrival jitter it sees and shrinks again only
/// slowly: measured in Chromium on a loaded 2-core machine, each stall that released 350-440 ms of queued audio at once
/// raised NetEq's target delay (115 -> 260 -> 460 -> 540 ms over 16 s), and the sound trailed its picture by that much
/// for the rest of the run. A packet that never arrives is concealed for its 20 ms and leaves the target alone.
/// <para>
/// Late is measured against the packet's own schedule, without knowing the room's audio lead: a packet's send delay is
/// the time from the instant its first sample is due (the frame's source timestamp) to its release, and the least send
/// delay this stream has seen is its schedule (the lead sends audio that much before it is due, so that delay is
/// negative by about the lead). A packet whose delay exceeds that least one by more than the limit is dropped. The
/// least delay is taken over the last one to two seconds of packets (two one-second buckets), so a schedule that moves
/// for good (the room's loop resuming a steady distance behind after a skip) costs at most two seconds of audio, not all
/// of it; a stall's burst comes in far less than that.
/// </para>
/// </summary>
public sealed class LateAudioFilter(TimeSpan limit)
{
    private long _bucketStart = long.MinValue;
    private long _bucketLeast = long.MaxValue;
    private long _previousBucketLeast = long.MaxValue;

    /// <summary>
    /// True when the packet whose first sample is due at <paramref name="dueTimestamp"/>, released at
    /// <paramref name="now"/> (both on the clock of <paramref name="frequency"/> ticks a second), is later than the limit
    /// past this stream's schedule.
    /// </summary>
    public bool IsLate(long dueTimestamp, long now, long frequency)
    {
        var delay = now - dueTimestamp;
        if (_bucketStart == long.MinValue || now - _bucketStart >= frequency)
        {
            _previousBucketLeast = _bucketLeast;
            _bucketLeast = delay;
            _bucketStart = now;
        }
        else if (delay < _bucketLeast)
        {
            _bucketLeast = delay;
        }
        var least = Math.Min(_bucketLeast, _previousBucketLeast);
        return (double)(delay - least) / frequency > limit.TotalSeconds;
    }
}
