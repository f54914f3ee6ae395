using System.Net;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Srtp;
using LiveHost.WebRtc.Transport;

namespace LiveHost.WebRtc.Sessions;

/// <summary>
/// One viewer's per-packet send path, the only work a room does once per viewer per packet: copy the packet from the
/// room's ring into this viewer's own buffer, rewrite the payload type to the number this browser offered,
/// SRTP-protect it in place, send it on the shared port and count it. Driven by <see cref="ViewerMediaSender"/>, in a
/// session and in the fan-out benchmark (perf/) alike. Allocates nothing; belongs to one send loop (not thread-safe).
/// </summary>
public sealed class ViewerPacketSender(UdpMux mux, ViewerCounters counters, double simulatedLossPercent = 0)
{
    /// <summary>A ring slot (MTU-sized packet plus the SRTP tag) with room to spare.</summary>
    public const int BufferSize = 1600;

    private const int RtpHeaderSize = 12;

    private readonly byte[] _buffer = new byte[BufferSize];

    /// <summary>This viewer's scratch buffer (RTCP reports are written here too).</summary>
    public Span<byte> Buffer => _buffer;

    public ViewerCounters Counters => counters;

    /// <summary>Copies packet <paramref name="index"/> of <paramref name="ring"/> into the buffer; false when it was overwritten.</summary>
    public bool TryCopy(RtpPacketRing ring, long index, out int length) => ring.TryCopy(index, _buffer, out length, out _);

    /// <summary>
    /// Sends the RTP packet in <c>Buffer[..length]</c> as this viewer's: payload type, SRTP, socket, counters.
    /// <paramref name="packets"/> and <paramref name="octets"/> (payload octets, for sender reports) grow only when it went out.
    /// </summary>
    /// <returns>False when the kernel refused the datagram (the caller counts the drop: it knows who else must hear of it).</returns>
    public bool SendMedia(int length, byte payloadType, SrtpContext srtp, SocketAddress remote, ref long packets, ref long octets)
    {
        // The room wrote its own payload type; this browser may have offered another number for the same codec.
        _buffer[1] = (byte)((_buffer[1] & 0x80) | payloadType);
        var payload = length - RtpHeaderSize;
        var protectedLength = srtp.ProtectRtp(_buffer, length);
        if (simulatedLossPercent > 0 && Random.Shared.NextDouble() * 100 < simulatedLossPercent)
        {
            // Lost "on the network": protected (so SRTP state moves on as for a real packet), never sent.
            Interlocked.Increment(ref counters.SimulatedLossField);
            packets++;
            octets += payload;
            return true;
        }
        if (mux.Send(_buffer.AsSpan(0, protectedLength), remote))
        {
            packets++;
            octets += payload;
            Interlocked.Increment(ref counters.PacketsSentField);
            Interlocked.Add(ref counters.BytesSentField, protectedLength);
            return true;
        }
        return false;
    }

    /// <summary>SRTCP-protects and sends the RTCP packet in <c>Buffer[..length]</c>.</summary>
    public bool SendRtcp(int length, SrtpContext srtp, SocketAddress remote)
    {
        var protectedLength = srtp.ProtectRtcp(_buffer, length);
        return mux.Send(_buffer.AsSpan(0, protectedLength), remote);
    }
}
