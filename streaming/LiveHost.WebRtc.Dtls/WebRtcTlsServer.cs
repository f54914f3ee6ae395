using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// The BouncyCastle TlsServer policy for WebRTC (RFC 8827 §6.5, RFC 5764): DTLS 1.2 only, ECDHE_ECDSA suites with
/// our ECDSA certificate, a mandatory client certificate pinned to the offer's fingerprint, use_srtp answered
/// with the first profile in the client's list that we support, and the SRTP keys exported on completion.
/// One instance serves one handshake.
/// </summary>
internal sealed class WebRtcTlsServer : DefaultTlsServer
{
    // Ordered by our preference; BouncyCastle still honours the client's order unless PreferLocalCipherSuites.
    private static readonly int[] s_cipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    // Chromium and Firefox sign with ECDSA P-256 certificates; RSA is accepted for older or custom clients.
    private static readonly SignatureAndHashAlgorithm[] s_clientSignatureAlgorithms =
    [
        new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
        new(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
        new(HashAlgorithm.sha512, SignatureAlgorithm.ecdsa),
        SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
        SignatureAndHashAlgorithm.rsa_pss_rsae_sha384,
        SignatureAndHashAlgorithm.rsa_pss_rsae_sha512,
        new(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
        new(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
        new(HashAlgorithm.sha512, SignatureAlgorithm.rsa),
        SignatureAndHashAlgorithm.ed25519,
    ];

    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _expectedRemoteFingerprint;
    private readonly DtlsSrtpServerOptions _options;
    private readonly ILogger _logger;
    private readonly Action<short, short> _onAlertReceived;

    public WebRtcTlsServer(
        BcTlsCrypto crypto,
        DtlsCertificate certificate,
        DtlsFingerprint expectedRemoteFingerprint,
        DtlsSrtpServerOptions options,
        ILogger logger,
        Action<short, short> onAlertReceived)
        : base(crypto)
    {
        _certificate = certificate;
        _expectedRemoteFingerprint = expectedRemoteFingerprint;
        _options = options;
        _logger = logger;
        _onAlertReceived = onAlertReceived;
    }

    /// <summary>Why we refused the handshake, in words; null when BouncyCastle refused it on its own.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>The SRTP profile chosen from the client's use_srtp list.</summary>
    public DtlsSrtpProfile? SelectedProfile { get; private set; }

    /// <summary>Set when the handshake completes.</summary>
    public DtlsSrtpKeys? Keys { get; private set; }

    // DTLS 1.2 only: a browser offering DTLS 1.3 in supported_versions gets 1.2 back and falls back (RFC 9147 §5.3).
    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, s_cipherSuites);

    public override int GetHandshakeTimeoutMillis() => (int)_options.HandshakeTimeout.TotalMilliseconds;

    // RFC 6347 §4.1.2.7: invalid records are silently discarded, so a forged or corrupted datagram cannot
    // tear down an established association.
    public override bool IgnoreCorruptDtlsRecords => true;

    public override bool RequiresExtendedMasterSecret() => _options.RequireExtendedMasterSecret;

    // The peer's certificate is self-signed and pinned by fingerprint; how it was signed proves nothing.
    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        UseSrtpData? offered = clientExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offered is null)
        {
            throw Refuse(AlertDescription.handshake_failure,
                "The DTLS client did not offer the use_srtp extension (RFC 5764), so no SRTP keys can be negotiated.");
        }

        // RFC 5764 §4.1.1: the server picks from the client's list, which is in the client's order of preference.
        foreach (int id in offered.ProtectionProfiles)
        {
            if (DtlsSrtpProfileExtensions.IsSupported(id) && _options.SrtpProfiles.Contains((DtlsSrtpProfile)id))
            {
                SelectedProfile = (DtlsSrtpProfile)id;
                return;
            }
        }

        string offeredList = string.Join(", ", offered.ProtectionProfiles.Select(id => $"0x{id:X4}"));
        string ourList = string.Join(", ", _options.SrtpProfiles.Select(p => $"0x{(int)p:X4}"));
        throw Refuse(AlertDescription.handshake_failure,
            $"No common SRTP protection profile: the DTLS client offered [{offeredList}], this server supports [{ourList}].");
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        IDictionary<int, byte[]> extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        if (SelectedProfile is { } profile)
        {
            // One profile, and no MKI: browsers never use one.
            TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([(int)profile], TlsUtilities.EmptyBytes));
        }

        return extensions;
    }

    public override CertificateRequest GetCertificateRequest() =>
        new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], s_clientSignatureAlgorithms, null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            throw Refuse(AlertDescription.handshake_failure,
                "The DTLS client sent no certificate; WebRTC requires one so that it can be checked against the a=fingerprint of the offer.");
        }

        byte[] der = clientCertificate.GetCertificateAt(0).GetEncoded();
        if (!_expectedRemoteFingerprint.Matches(der))
        {
            DtlsFingerprint actual = DtlsFingerprint.Compute(_expectedRemoteFingerprint.Algorithm, der);
            throw Refuse(AlertDescription.bad_certificate,
                $"The DTLS client's certificate fingerprint ({actual}) does not match the a=fingerprint of the offer ({_expectedRemoteFingerprint}).");
        }
    }

    protected override TlsCredentialedSigner GetECDsaSignerCredentials()
    {
        TlsCertificate certificate = Crypto.CreateCertificate(_certificate.GetDer());
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(m_context),
            (BcTlsCrypto)Crypto,
            _certificate.PrivateKey,
            new Certificate([certificate]),
            SelectEcdsaSignatureAlgorithm());
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        DtlsSrtpProfile profile = SelectedProfile
            ?? throw new TlsFatalAlert(AlertDescription.internal_error, "Handshake completed without an SRTP profile.");
        SecurityParameters parameters = m_context.SecurityParameters;
        byte[] material = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, DtlsSrtpKeys.ExporterLength(profile));
        try
        {
            Keys = DtlsSrtpKeys.FromExporterOutput(profile, material, parameters.CipherSuite, parameters.IsExtendedMasterSecret);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(material);
        }
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
        _logger.AlertRaised(alertLevel, AlertDescription.GetText(alertDescription), message);

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        _logger.AlertReceived(alertLevel, AlertDescription.GetText(alertDescription));
        _onAlertReceived(alertLevel, alertDescription);
    }

    private SignatureAndHashAlgorithm SelectEcdsaSignatureAlgorithm()
    {
        // TLS 1.2 (RFC 5246 §7.4.1.4.1): sign ServerKeyExchange with a hash the client listed; P-256 with
        // SHA-256 is what every browser offers first.
        IList<SignatureAndHashAlgorithm>? offered = m_context.SecurityParameters.ClientSigAlgs;
        if (offered is not null)
        {
            foreach (short hash in new[] { HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512 })
            {
                foreach (SignatureAndHashAlgorithm candidate in offered)
                {
                    if (candidate.Signature == SignatureAlgorithm.ecdsa && candidate.Hash == hash)
                    {
                        return candidate;
                    }
                }
            }
        }

        return new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
    }

    private TlsFatalAlert Refuse(short alert, string reason)
    {
        FailureReason = reason;
        return new TlsFatalAlert(alert, reason);
    }
}
