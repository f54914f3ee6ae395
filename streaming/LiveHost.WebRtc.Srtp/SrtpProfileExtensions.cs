namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// Key, salt and tag lengths of each <see cref="SrtpProfile"/>.
/// <code>
///   profile               master key  master salt  session auth key  RTP tag  SRTCP trailer (index + tag)
///   AES128_CM_HMAC_SHA1_80    16          14              20            10         4 + 10
///   AEAD_AES_128_GCM          16          12               0            16        16 + 4
/// </code>
/// </summary>
public static class SrtpProfileExtensions
{
    /// <summary>True for the profiles this library implements.</summary>
    public static bool IsSupported(this SrtpProfile profile) =>
        profile is SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.AeadAes128Gcm;

    /// <summary>Maps a DTLS-SRTP protection profile id (RFC 5764 §4.1.2) to a supported profile.</summary>
    public static bool TryFromId(ushort id, out SrtpProfile profile)
    {
        profile = (SrtpProfile)id;
        return profile.IsSupported();
    }

    /// <summary>Length in octets of the master key (and of the session encryption key).</summary>
    public static int MasterKeyLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => 16,
        SrtpProfile.AeadAes128Gcm => 16,
        _ => throw Unsupported(profile),
    };

    /// <summary>Length in octets of the master salt (and of the session salt).</summary>
    public static int MasterSaltLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => 14,
        SrtpProfile.AeadAes128Gcm => 12,
        _ => throw Unsupported(profile),
    };

    /// <summary>Length in octets of the session authentication key; 0 for AEAD profiles.</summary>
    public static int SessionAuthKeyLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => 20,
        SrtpProfile.AeadAes128Gcm => 0,
        _ => throw Unsupported(profile),
    };

    /// <summary>Length in octets of the authentication tag appended to SRTP and SRTCP packets.</summary>
    public static int AuthTagLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => 10,
        SrtpProfile.AeadAes128Gcm => 16,
        _ => throw Unsupported(profile),
    };

    /// <summary>Octets <c>ProtectRtp</c> adds to a packet: the tag.</summary>
    public static int RtpOverhead(this SrtpProfile profile) => profile.AuthTagLength();

    /// <summary>Octets <c>ProtectRtcp</c> adds to a packet: the E-flag/SRTCP index word and the tag.</summary>
    public static int RtcpOverhead(this SrtpProfile profile) => 4 + profile.AuthTagLength();

    private static ArgumentOutOfRangeException Unsupported(SrtpProfile profile) =>
        new(nameof(profile), profile, $"SRTP protection profile 0x{(ushort)profile:x4} is not supported.");
}
