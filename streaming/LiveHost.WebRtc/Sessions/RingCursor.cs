using LiveHost.WebRtc.Rooms;

namespace LiveHost.WebRtc.Sessions;

/// <summary>
/// One viewer's place in one of the room's packet rings: its bounded queue. The room never waits for it; when the
/// viewer is more than <c>maxLag</c> packets behind (or its next packet was already overwritten) the cursor skips to
/// live and counts what it skipped. A video cursor only ever starts at a keyframe, so a viewer that joins or falls
/// behind resumes with a clean picture rather than garbage. The packets already written when it starts (the start
/// of that keyframe, however large) are its start-up burst and do not count as lag: counting them would make a
/// keyframe bigger than the queue unreachable, and the viewer would skip every keyframe it was waiting for.
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
    /// asks for a keyframe).
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
        if (head - Math.Max(_cursor, _lagBase) > maxLag || !ring.TryCopy(_cursor, destination, out length, out _))
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
}
