using LiveHost.WebRtc.Rooms;

namespace LiveHost.WebRtc.Sessions;

/// <summary>
/// One viewer's place in one of the room's packet rings: its bounded queue. The room never waits for it; when the
/// viewer is more than <c>maxLag</c> packets behind (or its next packet was already overwritten) the cursor skips to
/// live and counts what it skipped. A video cursor only ever starts at a keyframe, so a viewer that joins or falls
/// behind resumes with a clean picture rather than garbage: at the newest keyframe when one is in the ring past it,
/// else at the next one. The packets already written when it starts, and the packets of the newest keyframe however
/// large, do not count as lag: counting them would make a keyframe bigger than the queue unreachable, and the
/// viewer would skip every keyframe it was waiting for (or had asked for with a PLI). The lag is thus bounded by the
/// queue plus one keyframe.
/// </summary>
public sealed class RingCursor(RtpPacketRing ring, int maxLag, bool startAtKeyframe)
{
    private long _cursor = -1;
    private long _joinIndex;
    private long _lagBase;

    public RtpPacketRing Ring => ring;

    /// <summary>Packets skipped because the reader fell behind.</summary>
    public long Skipped { get; private set; }

    /// <summary>True while a video cursor waits for a keyframe to start from.</summary>
    public bool WaitingForKeyframe => startAtKeyframe && _cursor < 0;

    /// <summary>
    /// Starts reading. Video starts at the newest keyframe if it is at or after <paramref name="earliestKeyframe"/>
    /// (recent enough not to mean a long catch-up burst), else at the next one; audio starts at live.
    /// </summary>
    public void Join(long earliestKeyframe)
    {
        _joinIndex = Math.Max(0, earliestKeyframe);
        _cursor = startAtKeyframe ? -1 : ring.Head;
    }

    /// <summary>
    /// Copies the next packet to send into <paramref name="destination"/>. False when there is nothing to send now;
    /// <paramref name="skipped"/> then says how many packets were just given up on (the caller counts and, for video,
    /// asks for a keyframe). True with <paramref name="skipped"/> above zero: packets were skipped to reach a newer
    /// keyframe, and the one copied starts it (counted, no keyframe needed).
    /// </summary>
    public bool TryNext(Span<byte> destination, out int length, out long skipped)
    {
        length = 0;
        skipped = 0;
        var head = ring.Head;
        if (_cursor < 0)
        {
            if (!startAtKeyframe) _cursor = head;
            else
            {
                var keyframe = ring.LastKeyframeStart;
                if (keyframe < _joinIndex || keyframe < head - ring.Capacity) return false;
                _cursor = keyframe;
            }
            _lagBase = head;
        }
        if (_cursor >= head) return false;
        if (Lag(head) > maxLag && startAtKeyframe && ring.LastKeyframeStart > _cursor
            && ring.LastKeyframeStart >= head - ring.Capacity)
        {
            // Behind, but a newer keyframe is in the ring: everything before it is worthless now, so go straight to
            // it (however large) rather than wait for the one after. This is how a PLI is answered to a viewer whose
            // queue is smaller than the IDR it asked for.
            var keyframe = ring.LastKeyframeStart;
            skipped = keyframe - _cursor;
            Skipped += skipped;
            _cursor = keyframe;
            _lagBase = head;
        }
        if (Lag(head) > maxLag || !ring.TryCopy(_cursor, destination, out length, out _))
        {
            skipped = head - _cursor;
            Skipped += skipped;
            if (startAtKeyframe)
            {
                _cursor = -1;
                _joinIndex = head;
            }
            else
            {
                _cursor = head;
            }
            length = 0;
            return false;
        }
        _cursor++;
        return true;
    }

    /// <summary>Packets waiting that count against the queue: not the start-up burst, not the newest keyframe.</summary>
    private long Lag(long head)
    {
        var from = Math.Max(_cursor, _lagBase);
        var keyframe = ring.LastKeyframeStart;
        if (startAtKeyframe && keyframe >= 0 && _cursor >= keyframe)
        {
            var end = ring.LastKeyframeEnd;
            from = Math.Max(from, end < keyframe ? head : end);
        }
        return head - from;
    }
}
