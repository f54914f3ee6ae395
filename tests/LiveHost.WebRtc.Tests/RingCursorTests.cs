using System.Buffers.Binary;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Sessions;

namespace LiveHost.WebRtc.Tests;

public sealed class RingCursorTests
{
    private readonly RtpPacketRing _ring = new(capacity: 1024, slotSize: 1300);
    private ushort _sequence = 65000;

    [Fact]
    public void A_reader_that_keeps_up_gets_every_packet_in_order()
    {
        var cursor = new RingCursor(_ring, maxLag: 256, startAtKeyframe: false);
        cursor.Join(0);
        Write(100);

        var read = ReadAll(cursor, out var skipped);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => unchecked((ushort)(65000 + i))), read);
        Assert.Equal(0, skipped);
    }

    [Fact]
    public void A_stalled_reader_never_holds_up_the_writer_and_is_cut_forward_to_live_with_the_skip_counted()
    {
        var cursor = new RingCursor(_ring, maxLag: 256, startAtKeyframe: false);
        cursor.Join(0);

        Write(5000); // the room goes on writing, far past the ring, while this viewer reads nothing
        var read = ReadAll(cursor, out var skipped);
        Write(10);
        var after = ReadAll(cursor, out var skippedAfter);

        Assert.Empty(read);
        Assert.Equal(5000, skipped);
        Assert.Equal(10, after.Count);
        Assert.Equal(unchecked((ushort)(65000 + 5000)), after[0]);
        Assert.Equal(0, skippedAfter);
        Assert.Equal(5000, cursor.Skipped);
    }

    [Fact]
    public void Video_starts_at_a_keyframe_and_after_falling_behind_resumes_only_at_the_next_one()
    {
        var cursor = new RingCursor(_ring, maxLag: 64, startAtKeyframe: true);
        Write(20);              // a GOP's tail from before the viewer joined
        cursor.Join(_ring.Head);
        Write(10);              // P-frames: nothing to start from yet
        Assert.Empty(ReadAll(cursor, out _));
        Assert.True(cursor.WaitingForKeyframe);

        var keyframe = Write(5, keyframe: true);
        Write(5);
        var first = ReadAll(cursor, out _);
        Assert.Equal(10, first.Count);
        Assert.Equal(keyframe, first[0]);

        Write(200);             // falls behind
        Assert.Empty(ReadAll(cursor, out var skipped));
        Assert.Equal(200, skipped);
        Write(10);              // still no keyframe: wait
        Assert.Empty(ReadAll(cursor, out _));
        var next = Write(3, keyframe: true);
        Assert.Equal(next, ReadAll(cursor, out _)[0]);
    }

    [Fact]
    public void A_keyframe_larger_than_the_queue_is_still_sent_whole_but_lag_after_it_still_counts()
    {
        var cursor = new RingCursor(_ring, maxLag: 16, startAtKeyframe: true);
        cursor.Join(_ring.Head);
        var keyframe = Write(40, keyframe: true); // one IDR of 40 packets, published before the sender wakes

        var read = ReadAll(cursor, out var skipped);

        Assert.Equal(40, read.Count);
        Assert.Equal(keyframe, read[0]);
        Assert.Equal(0, skipped);

        Write(17);              // more than the queue behind, after the start: that is lag
        Assert.Empty(ReadAll(cursor, out skipped));
        Assert.Equal(17, skipped);
    }

    [Fact]
    public void A_live_viewer_behind_when_a_large_keyframe_lands_jumps_to_it_instead_of_waiting_for_the_next()
    {
        var cursor = new RingCursor(_ring, maxLag: 16, startAtKeyframe: true);
        cursor.Join(_ring.Head);
        Write(3, keyframe: true);
        Write(5);
        Assert.Equal(8, ReadAll(cursor, out _).Count);

        Write(4);                                  // P-frames the sender has not got to yet
        var idr = Write(40, keyframe: true);      // then a forced IDR larger than the queue, all at once
        var buffer = new byte[1300];

        Assert.True(cursor.TryNext(buffer, out _, out var skipped));
        Assert.Equal(idr, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)));
        Assert.Equal(4, skipped);                 // the stale P-frames, counted
        var rest = ReadAll(cursor, out var skippedAfter);
        Assert.Equal(39, rest.Count);
        Assert.Equal(0, skippedAfter);
        Assert.False(cursor.WaitingForKeyframe);
    }

    [Fact]
    public void A_viewer_part_way_through_a_large_keyframe_finishes_it_and_only_what_follows_counts_as_lag()
    {
        var cursor = new RingCursor(_ring, maxLag: 16, startAtKeyframe: true);
        cursor.Join(_ring.Head);
        var idr = Write(40, keyframe: true);
        var buffer = new byte[1300];
        Assert.True(cursor.TryNext(buffer, out _, out _)); // the sender got one packet out, then the rest landed
        Assert.True(cursor.TryNext(buffer, out _, out _));

        Write(10);                                         // P-frames after the keyframe: within the queue
        var rest = ReadAll(cursor, out var skipped);

        Assert.Equal(48, rest.Count);
        Assert.Equal(0, skipped);
        Assert.Equal(unchecked((ushort)(idr + 2)), rest[0]);
    }

    private ushort Write(int count, bool keyframe = false)
    {
        var first = _sequence;
        for (var i = 0; i < count; i++)
        {
            if (keyframe && i == 0) _ring.MarkNextAsKeyframeStart();
            var packet = _ring.GetPacketBuffer(100);
            packet[..100].Clear();
            packet[0] = 0x80;
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _sequence++);
            _ring.CommitPacket(100);
        }
        if (keyframe) _ring.CompleteKeyframe();
        return first;
    }

    private static List<ushort> ReadAll(RingCursor cursor, out long skipped)
    {
        var buffer = new byte[1300];
        var read = new List<ushort>();
        skipped = 0;
        while (true)
        {
            if (cursor.TryNext(buffer, out var length, out var s))
            {
                Assert.Equal(100, length);
                read.Add(BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)));
                continue;
            }
            skipped += s;
            if (s == 0) return read;
        }
    }
}
