namespace LiveHost.WebRtc.Srtp;

/// <summary>Key derivation labels of RFC 3711 §4.3.1 (SRTP) and §4.3.2 (SRTCP).</summary>
public enum SrtpKeyLabel : byte
{
    /// <summary>SRTP session encryption key.</summary>
    RtpEncryption = 0x00,
    /// <summary>SRTP session authentication key.</summary>
    RtpAuthentication = 0x01,
    /// <summary>SRTP session salt.</summary>
    RtpSalt = 0x02,
    /// <summary>SRTCP session encryption key.</summary>
    RtcpEncryption = 0x03,
    /// <summary>SRTCP session authentication key.</summary>
    RtcpAuthentication = 0x04,
    /// <summary>SRTCP session salt.</summary>
    RtcpSalt = 0x05,
}
