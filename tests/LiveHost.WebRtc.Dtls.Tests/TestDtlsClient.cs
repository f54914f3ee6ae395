using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.Security;

namespace LiveHost.WebRtc.Dtls.Tests;

/// <summary>
/// A browser stand-in: a real BouncyCastle DTLS 1.2 client with its own self-signed certificate that offers
/// use_srtp the way Chromium does, and computes the DTLS-SRTP exporter itself.
/// </summary>
internal sealed class TestDtlsClient : DefaultTlsClient
{
    private readonly DtlsCertificate? _certificate;
    private readonly int[] _srtpProfiles;
    private readonly bool _offerDtls13;
    private readonly List<(short Level, short Description)> _alertsReceived = [];

    public TestDtlsClient(DtlsCertificate? certificate, int[] srtpProfiles, bool offerDtls13 = false)
        : base(new BcTlsCrypto(new SecureRandom()))
    {
        _certificate = certificate;
        _srtpProfiles = srtpProfiles;
        _offerDtls13 = offerDtls13;
    }

    public int? SelectedProfile { get; private set; }

    public byte[]? ExporterOutput { get; private set; }

    public byte[]? ServerCertificateDer { get; private set; }

    public ProtocolVersion? NegotiatedVersion { get; private set; }

    public bool ExtendedMasterSecret { get; private set; }

    public int CipherSuite { get; private set; }

    public IReadOnlyList<(short Level, short Description)> AlertsReceived
    {
        get
        {
            lock (_alertsReceived)
            {
                return [.. _alertsReceived];
            }
        }
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    public override int GetHandshakeTimeoutMillis() => 15_000;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        IDictionary<int, byte[]> extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(_srtpProfiles, TlsUtilities.EmptyBytes));
        if (_offerDtls13)
        {
            // What a DTLS 1.3-capable Chromium sends: supported_versions listing 1.3 before 1.2.
            TlsExtensionsUtilities.AddSupportedVersionsExtensionClient(
                extensions, [ProtocolVersion.DTLSv13, ProtocolVersion.DTLSv12]);
        }

        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        UseSrtpData? data = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (data is null || data.ProtectionProfiles.Length != 1 || Array.IndexOf(_srtpProfiles, data.ProtectionProfiles[0]) < 0)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server answered use_srtp badly");
        }

        SelectedProfile = data.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var profile = (DtlsSrtpProfile)SelectedProfile!.Value;
        int length = 2 * (profile.MasterKeyLength() + profile.MasterSaltLength());
        ExporterOutput = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
        NegotiatedVersion = m_context.ServerVersion;
        ExtendedMasterSecret = m_context.SecurityParameters.IsExtendedMasterSecret;
        CipherSuite = m_context.SecurityParameters.CipherSuite;
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        lock (_alertsReceived)
        {
            _alertsReceived.Add((alertLevel, alertDescription));
        }
    }

    private sealed class Authentication(TestDtlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client.ServerCertificateDer = serverCertificate.Certificate.GetCertificateAt(0).GetEncoded();

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            if (client._certificate is null)
            {
                return null;
            }

            var crypto = (BcTlsCrypto)client.Crypto;
            TlsCertificate certificate = crypto.CreateCertificate(client._certificate.GetDer());
            return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(client.m_context),
                crypto,
                client._certificate.PrivateKey,
                new Certificate([certificate]),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }
    }
}
