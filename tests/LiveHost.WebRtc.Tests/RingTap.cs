using System.Buffers.Binary;
using System.Threading.Channels;
using LiveHost.WebRtc.Rooms;

namespace LiveHost.WebRtc.Tests;

/// <summary>A viewer of a room's RTP rings that sends nothing: it only wakes the test when packets arrive, for it to read them.</summary>
internal sealed class RingTap : IRoomViewer
{
    public Channel<bool> Wake { get; } = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void PacketsAvailable() => Wake.Writer.TryWrite(true);

    /// <summary>Reads the ring's packets from <paramref name="next"/> to its head into <paramref name="add"/>; returns the next to read.</summary>
    public static long Drain(RtpPacketRing ring, long next, byte[] buffer, Action<RoomStreamTimingTests.RtpPacketInfo> add)
    {
        for (; next < ring.Head; next++)
        {
            if (!ring.TryCopy(next, buffer, out var length, out _)) throw new InvalidOperationException($"ring packet {next} was overwritten before it was read");
            var packet = buffer.AsSpan(0, length);
            add(new RoomStreamTimingTests.RtpPacketInfo(BinaryPrimitives.ReadUInt16BigEndian(packet[2..]), BinaryPrimitives.ReadUInt32BigEndian(packet[4..]), (packet[1] & 0x80) != 0));
        }
        return next;
    }
}
