using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>
/// Writes an SDES packet with one chunk holding one CNAME item (RFC 3550 §6.5, §6.5.1).
/// <code>
/// |V=2|P|  SC=1   |  PT=SDES=202  |             length            |
/// |                          SSRC/CSRC_1                          |
/// |  CNAME=1      |     length    | user and domain name        ...
/// ... | 0 (end of items, then zeros up to the next 32-bit boundary) |
/// </code>
/// Received SDES packets are only skipped (a sender has no use for viewers' CNAMEs).
/// </summary>
public static class RtcpSourceDescription
{
    public const byte CnameItemType = 1;
    public const int MaxItemLength = 255;

    public static int GetCnameSize(ReadOnlySpan<char> cname)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(cname);
        if (length is 0 or > MaxItemLength) throw new ArgumentOutOfRangeException(nameof(cname), "a CNAME is 1..255 bytes of UTF-8");
        // Header, SSRC, item type and length, text, then at least one zero octet ending the item list, to a word boundary.
        return RtcpHeader.Size + 4 + ((2 + length + 4) & ~3);
    }

    public static int WriteCname(Span<byte> destination, uint ssrc, ReadOnlySpan<char> cname)
    {
        var size = GetCnameSize(cname);
        if (destination.Length < size) throw new ArgumentException($"need {size} bytes for the SDES packet", nameof(destination));
        var packet = destination[..size];
        RtcpHeader.For(RtcpPacketType.SourceDescription, 1, size).WriteTo(packet);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], ssrc);
        packet[8] = CnameItemType;
        var length = System.Text.Encoding.UTF8.GetBytes(cname, packet[10..]);
        packet[9] = (byte)length;
        packet[(10 + length)..].Clear();
        return size;
    }
}
