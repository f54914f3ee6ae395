using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// The server's self-signed DTLS certificate: ECDSA P-256, CN=LiveHost, random serial. WebRTC never checks a
/// chain; the browser pins the SHA-256 fingerprint carried in our SDP answer (RFC 8827 §6.5), so one certificate
/// per process is enough. ECDSA P-256 keeps generation to a few milliseconds (RSA would take far longer) and is
/// what Chromium and Firefox use for their own certificates.
/// </summary>
public sealed class DtlsCertificate
{
    /// <summary>How long the certificate is valid after it is made.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(30);

    // Some peers' clocks run behind ours; back-dating NotBefore keeps them from seeing a "future" certificate.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromDays(1);

    private readonly byte[] _der;

    private DtlsCertificate(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        _der = certificate.GetEncoded();
        Sha256Fingerprint = DtlsFingerprint.Compute(DtlsFingerprintAlgorithm.Sha256, _der);
        Fingerprint = Sha256Fingerprint.ToString();
    }

    /// <summary>The BouncyCastle certificate.</summary>
    public X509Certificate Certificate { get; }

    /// <summary>The BouncyCastle ECDSA private key (an <see cref="ECPrivateKeyParameters"/>).</summary>
    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>The DER encoding (what the fingerprint hashes and what the DTLS Certificate message carries).</summary>
    public ReadOnlySpan<byte> Der => _der;

    /// <summary>The SDP <c>a=fingerprint</c> value: <c>sha-256 AB:CD:...</c>.</summary>
    public string Fingerprint { get; }

    /// <summary>The same fingerprint as a value.</summary>
    public DtlsFingerprint Sha256Fingerprint { get; }

    /// <summary>Start of validity (UTC).</summary>
    public DateTime NotBefore => Certificate.NotBefore;

    /// <summary>End of validity (UTC).</summary>
    public DateTime NotAfter => Certificate.NotAfter;

    /// <summary>Generates a fresh key pair and self-signed certificate.</summary>
    public static DtlsCertificate Generate(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var random = new SecureRandom();

        var keyGenerator = new ECKeyPairGenerator("EC");
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        AsymmetricCipherKeyPair keyPair = keyGenerator.GenerateKeyPair();

        // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 127 random bits plus the top bit set.
        BigInteger serial = new BigInteger(127, random).SetBit(127);

        DateTime now = timeProvider.GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=LiveHost");
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(serial);
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now - ClockSkewAllowance);
        generator.SetNotAfter(now + Validity);
        generator.SetPublicKey(keyPair.Public);

        X509Certificate certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DtlsCertificate(certificate, keyPair.Private);
    }

    /// <summary>A copy of the DER encoding.</summary>
    public byte[] GetDer() => (byte[])_der.Clone();
}
