using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LiveHost.TestSupport;

/// <summary>
/// A throwaway CA made by the test (ECDSA P-256, valid for a day) and a server certificate it signed for 127.0.0.1,
/// written as PEM files into <see cref="Folder"/>: <see cref="CaPemPath"/>, <see cref="ServerCertificatePemPath"/> (the
/// leaf then the CA, as nginx's ssl_certificate wants the chain) and <see cref="ServerKeyPemPath"/>.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(string folder, string caPem)
    {
        Folder = folder;
        CaPem = caPem;
    }

    public string Folder { get; }

    /// <summary>The CA certificate as PEM text.</summary>
    public string CaPem { get; }

    public string CaPemPath => Path.Combine(Folder, "ca.pem");
    public string ServerCertificatePemPath => Path.Combine(Folder, "server.pem");
    public string ServerKeyPemPath => Path.Combine(Folder, "server.key");

    /// <summary>A new CA named <paramref name="name"/> and a server certificate for 127.0.0.1 (IP SAN) and localhost.</summary>
    public static TestCertificateAuthority Create(string name = "LiveHost Test CA")
    {
        var folder = Directory.CreateTempSubdirectory("livehost-ca-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddHours(12), serial);

        var authority = new TestCertificateAuthority(folder, ca.ExportCertificatePem());
        File.WriteAllText(authority.CaPemPath, authority.CaPem);
        File.WriteAllText(authority.ServerCertificatePemPath, server.ExportCertificatePem() + "\n" + authority.CaPem);
        File.WriteAllText(authority.ServerKeyPemPath, serverKey.ExportPkcs8PrivateKeyPem());
        return authority;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
