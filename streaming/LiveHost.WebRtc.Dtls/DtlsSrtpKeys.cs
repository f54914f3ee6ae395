namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// What a finished DTLS-SRTP handshake yields (RFC 5764 §4.2). We are the DTLS server, so we protect what we
/// send with the <em>server</em> write key and salt, and unprotect what the browser sends (RTCP) with the
/// <em>client</em> write key and salt.
/// </summary>
public sealed class DtlsSrtpKeys
{
    public DtlsSrtpKeys(
        DtlsSrtpProfile profile,
        byte[] clientWriteMasterKey,
        byte[] clientWriteMasterSalt,
        byte[] serverWriteMasterKey,
        byte[] serverWriteMasterSalt,
        int cipherSuite,
        bool extendedMasterSecret)
    {
        ArgumentNullException.ThrowIfNull(clientWriteMasterKey);
        ArgumentNullException.ThrowIfNull(clientWriteMasterSalt);
        ArgumentNullException.ThrowIfNull(serverWriteMasterKey);
        ArgumentNullException.ThrowIfNull(serverWriteMasterSalt);
        if (clientWriteMasterKey.Length != profile.MasterKeyLength() || serverWriteMasterKey.Length != profile.MasterKeyLength()
            || clientWriteMasterSalt.Length != profile.MasterSaltLength() || serverWriteMasterSalt.Length != profile.MasterSaltLength())
        {
            throw new ArgumentException($"Key or salt lengths do not match the {profile} profile.");
        }

        Profile = profile;
        ClientWriteMasterKey = clientWriteMasterKey;
        ClientWriteMasterSalt = clientWriteMasterSalt;
        ServerWriteMasterKey = serverWriteMasterKey;
        ServerWriteMasterSalt = serverWriteMasterSalt;
        CipherSuite = cipherSuite;
        ExtendedMasterSecret = extendedMasterSecret;
    }

    /// <summary>The negotiated SRTP protection profile.</summary>
    public DtlsSrtpProfile Profile { get; }

    /// <summary>The browser's (DTLS client's) master key: unprotects SRTP/SRTCP it sends.</summary>
    public byte[] ClientWriteMasterKey { get; }

    /// <summary>The browser's (DTLS client's) master salt.</summary>
    public byte[] ClientWriteMasterSalt { get; }

    /// <summary>Our (DTLS server's) master key: protects SRTP/SRTCP we send.</summary>
    public byte[] ServerWriteMasterKey { get; }

    /// <summary>Our (DTLS server's) master salt.</summary>
    public byte[] ServerWriteMasterSalt { get; }

    /// <summary>The TLS cipher suite id the handshake used (for logs and diagnostics).</summary>
    public int CipherSuite { get; }

    /// <summary>Whether the RFC 7627 extended master secret was negotiated.</summary>
    public bool ExtendedMasterSecret { get; }

    /// <summary>
    /// Splits RFC 5764 §4.2 exporter output, laid out as client_write_SRTP_master_key, server_write_SRTP_master_key,
    /// client_write_SRTP_master_salt, server_write_SRTP_master_salt.
    /// </summary>
    public static DtlsSrtpKeys FromExporterOutput(
        DtlsSrtpProfile profile, ReadOnlySpan<byte> keyingMaterial, int cipherSuite, bool extendedMasterSecret)
    {
        int keyLength = profile.MasterKeyLength();
        int saltLength = profile.MasterSaltLength();
        if (keyingMaterial.Length != ExporterLength(profile))
        {
            throw new ArgumentException(
                $"The {profile} profile needs {ExporterLength(profile)} bytes of keying material, not {keyingMaterial.Length}.",
                nameof(keyingMaterial));
        }

        return new DtlsSrtpKeys(
            profile,
            clientWriteMasterKey: keyingMaterial[..keyLength].ToArray(),
            clientWriteMasterSalt: keyingMaterial.Slice(2 * keyLength, saltLength).ToArray(),
            serverWriteMasterKey: keyingMaterial.Slice(keyLength, keyLength).ToArray(),
            serverWriteMasterSalt: keyingMaterial.Slice((2 * keyLength) + saltLength, saltLength).ToArray(),
            cipherSuite,
            extendedMasterSecret);
    }

    /// <summary>Bytes to export with the "EXTRACTOR-dtls_srtp" label: 2 * (key + salt).</summary>
    public static int ExporterLength(DtlsSrtpProfile profile) => 2 * (profile.MasterKeyLength() + profile.MasterSaltLength());
}
