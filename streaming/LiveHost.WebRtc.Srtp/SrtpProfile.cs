namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// The SRTP protection profiles LiveHost negotiates in DTLS-SRTP (RFC 5764 §4.1.2 use_srtp extension).
/// The numeric value of each member is its IANA "DTLS-SRTP Protection Profile" identifier, so a value read
/// from the use_srtp extension can be cast directly after <see cref="SrtpProfileExtensions.IsSupported"/>.
/// </summary>
public enum SrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80 (RFC 3711, RFC 5764 id 0x0001): AES-128 counter mode, 80-bit HMAC-SHA1 tag.</summary>
    Aes128CmHmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM (RFC 7714 id 0x0007): AES-128-GCM with a 16-octet tag and a 12-octet salt.</summary>
    AeadAes128Gcm = 0x0007,
}
