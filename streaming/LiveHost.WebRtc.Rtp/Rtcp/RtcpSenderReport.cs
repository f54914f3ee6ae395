using System.Buffers.Binary;
using LiveHost.WebRtc.Rtp.Timing;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>
/// An RTCP sender report (RFC 3550 §6.4.1) from a send-only stream, so with no reception report blocks (RC = 0).
/// <code>
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// |                         SSRC of sender                        |
/// |              NTP timestamp, most significant word             |
/// |             NTP timestamp, least significant word             |
/// |                         RTP timestamp                         |
/// |                     sender's packet count                     |
/// |                      sender's octet count                     |
/// </code>
/// The NTP and RTP timestamps name the same instant (<see cref="RtpStreamClock.SenderReportTimes"/>); the packet and
/// octet counts are what this viewer was sent, so each viewer's sender builds its own.
/// </summary>
/// <param name="PacketCount">Packets sent since the stream began, modulo 2^32.</param>
/// <param name="OctetCount">Payload octets sent since the stream began, modulo 2^32.</param>
public readonly record struct RtcpSenderReport(uint Ssrc, NtpTimestamp NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount)
{
    /// <summary>Header and sender info.</summary>
    public const int Size = RtcpHeader.Size + SenderInfoSize;

    /// <summary>SSRC plus the 20-byte sender info.</summary>
    internal const int SenderInfoSize = 24;

    public int GetSize() => Size;

    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException($"need {Size} bytes for a sender report", nameof(destination));
        RtcpHeader.For(RtcpPacketType.SenderReport, 0, Size).WriteTo(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], NtpTimestamp.Value);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], OctetCount);
        return Size;
    }

    /// <summary>Size of the compound packet <see cref="WriteCompoundWithCname"/> writes.</summary>
    public int GetCompoundSize(ReadOnlySpan<char> cname) => Size + RtcpSourceDescription.GetCnameSize(cname);

    /// <summary>
    /// The compound packet a sender sends every report interval (RFC 3550 §6.1): this SR, then an SDES with the
    /// CNAME that ties the room's audio and video streams together for synchronisation.
    /// </summary>
    public int WriteCompoundWithCname(Span<byte> destination, ReadOnlySpan<char> cname)
    {
        var size = GetCompoundSize(cname);
        if (destination.Length < size) throw new ArgumentException($"need {size} bytes for SR + SDES", nameof(destination));
        var written = WriteTo(destination);
        written += RtcpSourceDescription.WriteCname(destination[written..], Ssrc, cname);
        return written;
    }

    /// <summary>Reads the sender info of an SR packet's body (what follows the 4-byte header).</summary>
    internal static bool TryReadBody(ReadOnlySpan<byte> body, out RtcpSenderReport report)
    {
        report = default;
        if (body.Length < SenderInfoSize) return false;
        report = new RtcpSenderReport(
            BinaryPrimitives.ReadUInt32BigEndian(body),
            new NtpTimestamp(BinaryPrimitives.ReadUInt64BigEndian(body[4..])),
            BinaryPrimitives.ReadUInt32BigEndian(body[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(body[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(body[20..]));
        return true;
    }
}
