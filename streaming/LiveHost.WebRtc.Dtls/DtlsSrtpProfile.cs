namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// SRTP protection profiles negotiated by the DTLS use_srtp extension (RFC 5764 §4.1.2, RFC 7714 §14.2),
/// with their IANA ids. Only the two profiles browsers use are supported.
/// </summary>
public enum DtlsSrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: 16-byte master key, 14-byte master salt.</summary>
    Aes128CmHmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM: 16-byte master key, 12-byte master salt.</summary>
    AeadAes128Gcm = 0x0007,
}

/// <summary>Key and salt sizes per profile.</summary>
public static class DtlsSrtpProfileExtensions
{
    /// <summary>Master key bytes (RFC 5764 §4.1.2 SRTP_AES128_CM_HMAC_SHA1_80; RFC 7714 §12).</summary>
    public static int MasterKeyLength(this DtlsSrtpProfile profile) => profile switch
    {
        DtlsSrtpProfile.Aes128CmHmacSha1_80 => 16,
        DtlsSrtpProfile.AeadAes128Gcm => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile."),
    };

    /// <summary>Master salt bytes (112 bits for AES-CM, 96 bits for AES-GCM).</summary>
    public static int MasterSaltLength(this DtlsSrtpProfile profile) => profile switch
    {
        DtlsSrtpProfile.Aes128CmHmacSha1_80 => 14,
        DtlsSrtpProfile.AeadAes128Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile."),
    };

    /// <summary>True for the profiles this library can negotiate.</summary>
    public static bool IsSupported(int profileId) =>
        profileId is (int)DtlsSrtpProfile.Aes128CmHmacSha1_80 or (int)DtlsSrtpProfile.AeadAes128Gcm;
}
