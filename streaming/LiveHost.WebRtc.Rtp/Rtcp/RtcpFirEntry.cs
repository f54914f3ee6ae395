using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>
/// One FCI entry of a Full Intra Request (RFC 5104 §4.3.1.1): which media sender should send a decoder refresh,
/// and the request's sequence number, by which a sender recognises a repeated request.
/// <code>
/// |                              SSRC                             |
/// | Seq nr.       |    Reserved                                   |
/// </code>
/// </summary>
public readonly record struct RtcpFirEntry(uint Ssrc, byte SequenceNumber)
{
    public const int Size = 8;

    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException("need 8 bytes for a FIR entry", nameof(destination));
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        destination[4] = SequenceNumber;
        destination[5..Size].Clear();
        return Size;
    }
}
