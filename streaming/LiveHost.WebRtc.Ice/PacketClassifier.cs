namespace LiveHost.WebRtc.Ice;

/// <summary>What a datagram on the shared WebRTC port carries.</summary>
public enum PacketKind
{
    /// <summary>Nothing we speak (ZRTP, TURN channel data, QUIC, garbage, or too short): drop it.</summary>
    Unknown = 0,

    /// <summary>STUN: ICE connectivity or consent checks.</summary>
    Stun,

    /// <summary>DTLS records: the handshake that keys SRTP.</summary>
    Dtls,

    /// <summary>SRTP media (from a browser viewer: rare, we are send-only).</summary>
    Rtp,

    /// <summary>SRTCP: receiver reports, NACK, PLI, FIR from the viewer.</summary>
    Rtcp,
}

/// <summary>
/// Demultiplexes one UDP port by the first byte, as RFC 7983 §7 draws it (BUNDLE + rtcp-mux puts everything on it):
/// <code>
///              +----------------+
///              |        [0..3] -+--> forward to STUN
///              |                |
///              |      [16..19] -+--> forward to ZRTP     (Unknown here)
///              |                |
///  packet -->  |      [20..63] -+--> forward to DTLS
///              |                |
///              |      [64..79] -+--> forward to TURN Channel (Unknown here)
///              |                |
///              |    [128..191] -+--> forward to RTP/RTCP
///              +----------------+
/// </code>
/// RTP and RTCP are then told apart by the second byte (RFC 5761 §4): RTCP packet types 192..223 occupy the
/// values that would be RTP payload types 64..95 with the marker bit set, which RTP must therefore not use.
/// </summary>
public static class PacketClassifier
{
    private const int MinStunLength = 20;
    private const int MinDtlsRecordLength = 13;
    private const int MinRtpLength = 12;
    private const int MinRtcpLength = 8;

    /// <summary>Classifies without reading past the minimal header each protocol needs; never throws.</summary>
    public static PacketKind Classify(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        byte first = packet[0];
        if (first <= 3)
        {
            return packet.Length >= MinStunLength ? PacketKind.Stun : PacketKind.Unknown;
        }

        if (first is >= 20 and <= 63)
        {
            return packet.Length >= MinDtlsRecordLength ? PacketKind.Dtls : PacketKind.Unknown;
        }

        if (first is >= 128 and <= 191 && packet.Length >= 2)
        {
            byte second = packet[1];
            if (second is >= 192 and <= 223)
            {
                return packet.Length >= MinRtcpLength ? PacketKind.Rtcp : PacketKind.Unknown;
            }

            return packet.Length >= MinRtpLength ? PacketKind.Rtp : PacketKind.Unknown;
        }

        return PacketKind.Unknown;
    }
}
