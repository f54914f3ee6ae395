namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// The six session keys one SRTP crypto context works with (RFC 3711 §4.3): encryption key, authentication key
/// and salt, once for SRTP and once for SRTCP. AEAD profiles have no authentication keys (empty).
/// Usually made by <see cref="SrtpKeyDerivation.DeriveSessionKeys"/>; test vectors that give session keys directly
/// (RFC 3711 B.2, RFC 7714 §16–17) construct it themselves.
/// </summary>
public sealed class SrtpSessionKeys
{
    public SrtpSessionKeys(
        SrtpProfile profile,
        ReadOnlySpan<byte> rtpEncryptionKey,
        ReadOnlySpan<byte> rtpAuthenticationKey,
        ReadOnlySpan<byte> rtpSalt,
        ReadOnlySpan<byte> rtcpEncryptionKey,
        ReadOnlySpan<byte> rtcpAuthenticationKey,
        ReadOnlySpan<byte> rtcpSalt)
    {
        if (!profile.IsSupported())
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");
        }

        Profile = profile;
        RtpEncryptionKey = Checked(rtpEncryptionKey, profile.MasterKeyLength(), nameof(rtpEncryptionKey));
        RtpAuthenticationKey = Checked(rtpAuthenticationKey, profile.SessionAuthKeyLength(), nameof(rtpAuthenticationKey));
        RtpSalt = Checked(rtpSalt, profile.MasterSaltLength(), nameof(rtpSalt));
        RtcpEncryptionKey = Checked(rtcpEncryptionKey, profile.MasterKeyLength(), nameof(rtcpEncryptionKey));
        RtcpAuthenticationKey = Checked(rtcpAuthenticationKey, profile.SessionAuthKeyLength(), nameof(rtcpAuthenticationKey));
        RtcpSalt = Checked(rtcpSalt, profile.MasterSaltLength(), nameof(rtcpSalt));
    }

    public SrtpProfile Profile { get; }

    public ReadOnlyMemory<byte> RtpEncryptionKey { get; }

    public ReadOnlyMemory<byte> RtpAuthenticationKey { get; }

    public ReadOnlyMemory<byte> RtpSalt { get; }

    public ReadOnlyMemory<byte> RtcpEncryptionKey { get; }

    public ReadOnlyMemory<byte> RtcpAuthenticationKey { get; }

    public ReadOnlyMemory<byte> RtcpSalt { get; }

    private static byte[] Checked(ReadOnlySpan<byte> value, int expectedLength, string name)
    {
        if (value.Length != expectedLength)
        {
            throw new ArgumentException($"Expected {expectedLength} octets, got {value.Length}.", name);
        }

        return value.ToArray();
    }
}
