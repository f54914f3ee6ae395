using System.Buffers.Binary;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// Just enough of the RTP fixed header (RFC 3550 §5.1) for SRTP to find the SSRC, the sequence number and where
/// the payload starts. RTP framing proper lives in LiveHost.WebRtc.Rtp.
/// <code>
///    0                   1                   2                   3
///   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
///   |                           timestamp                           |
///   |           synchronization source (SSRC) identifier            |
///   |            contributing source (CSRC) identifiers (CC x 32)   |
///   |   defined by profile (X=1)    |    length (32-bit words)      |
///   |                        header extension                       |
/// </code>
/// </summary>
internal static class RtpHeaderInfo
{
    public const int FixedHeaderLength = 12;

    public static bool TryRead(ReadOnlySpan<byte> packet, out uint ssrc, out ushort sequenceNumber, out int headerLength)
    {
        ssrc = 0;
        sequenceNumber = 0;
        headerLength = 0;
        if (packet.Length < FixedHeaderLength || (packet[0] >> 6) != 2)
        {
            return false;
        }

        int length = FixedHeaderLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(length + 2, 2)));
        }

        if (packet.Length < length)
        {
            return false;
        }

        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2));
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8, 4));
        headerLength = length;
        return true;
    }
}
