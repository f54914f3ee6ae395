using System.Buffers.Binary;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// The first eight octets of a compound RTCP packet (RFC 3550 §6.4): SRTCP leaves them in the clear and
/// encrypts everything after them (RFC 3711 §3.4).
/// <code>
///   |V=2|P|   RC    |      PT       |            length             |
///   |                   SSRC of packet sender                       |
/// </code>
/// </summary>
internal static class RtcpHeaderInfo
{
    public const int HeaderLength = 8;

    public static bool TryRead(ReadOnlySpan<byte> packet, out uint ssrc)
    {
        if (packet.Length < HeaderLength || (packet[0] >> 6) != 2)
        {
            ssrc = 0;
            return false;
        }

        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4));
        return true;
    }
}
