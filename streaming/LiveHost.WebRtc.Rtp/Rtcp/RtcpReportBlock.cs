using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 §6.4.1): how one receiver sees one source.
/// <code>
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_1 (SSRC of first source)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// </summary>
/// <param name="CumulativeLost">24-bit signed: duplicates can make it negative.</param>
/// <param name="DelaySinceLastSenderReport">In units of 1/65536 s.</param>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequenceNumber,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Size = 24;

    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException("need 24 bytes for a report block", nameof(destination));
        if (CumulativeLost is < -0x800000 or > 0x7FFFFF) throw new InvalidOperationException("cumulative lost has 24 bits");
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)CumulativeLost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ExtendedHighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
        return Size;
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out RtcpReportBlock block, out int consumed)
    {
        block = default;
        consumed = 0;
        if (data.Length < Size) return false;
        var lost = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        var cumulative = (int)(lost << 8) >> 8; // sign-extend the low 24 bits
        block = new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(data),
            (byte)(lost >> 24),
            cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        consumed = Size;
        return true;
    }
}
