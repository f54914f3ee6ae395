namespace LiveHost.WebRtc.Rtp;

/// <summary>
/// The sender-side identity and counters of one RTP stream (RFC 3550 §5.1, §6.4.1): SSRC, payload type,
/// the next sequence number, and the packet and payload-octet counts a sender report carries.
/// One per room and media kind; the packetizer of that stream is its only writer (not thread-safe for writing,
/// but the counters may be read from another thread for RTCP).
/// </summary>
public sealed class RtpOutboundStream
{
    private long _packetCount;
    private long _octetCount;

    /// <param name="initialSequenceNumber">Random per RFC 3550 §5.1, so that a known-plaintext attack on SRTP is harder.</param>
    public RtpOutboundStream(uint ssrc, byte payloadType, ushort initialSequenceNumber)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        Ssrc = ssrc;
        PayloadType = payloadType;
        NextSequenceNumber = initialSequenceNumber;
    }

    public uint Ssrc { get; }
    public byte PayloadType { get; }
    public ushort NextSequenceNumber { get; private set; }

    /// <summary>Packets sent, for the SR sender's packet count (which wraps at 32 bits on the wire).</summary>
    public long PacketCount => Volatile.Read(ref _packetCount);

    /// <summary>Payload octets sent (headers and padding excluded, RFC 3550 §6.4.1).</summary>
    public long OctetCount => Volatile.Read(ref _octetCount);

    /// <summary>Writes the 12-byte header of the next packet, taking the next sequence number.</summary>
    internal int WriteHeader(Span<byte> destination, uint timestamp, bool marker)
    {
        var header = new RtpHeader
        {
            Marker = marker,
            PayloadType = PayloadType,
            SequenceNumber = NextSequenceNumber++,
            Timestamp = timestamp,
            Ssrc = Ssrc,
        };
        return header.WriteTo(destination);
    }

    internal void CountPacket(int payloadLength)
    {
        Volatile.Write(ref _packetCount, _packetCount + 1);
        Volatile.Write(ref _octetCount, _octetCount + payloadLength);
    }
}
