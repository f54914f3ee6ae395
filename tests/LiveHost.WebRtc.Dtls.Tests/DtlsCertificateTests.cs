using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Dtls.Tests;

public sealed class DtlsCertificateTests(ITestOutputHelper output)
{
    [Fact]
    public void Generates_a_self_signed_ecdsa_p256_certificate_named_LiveHost()
    {
        DtlsCertificate certificate = DtlsCertificate.Generate(TimeProvider.System);

        // Read it back with .NET's own X.509 parser: an independent check of what BouncyCastle wrote.
        using X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(certificate.Der);
        Assert.Equal("CN=LiveHost", parsed.Subject);
        Assert.Equal(parsed.Subject, parsed.Issuer);
        using ECDsa? key = parsed.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", parsed.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.Equal(Convert.ToHexString(parsed.GetCertHash(HashAlgorithmName.SHA256)), Convert.ToHexString(certificate.Sha256Fingerprint.Value));
    }

    [Fact]
    public void Validity_is_thirty_days_from_the_injected_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        DtlsCertificate certificate = DtlsCertificate.Generate(clock);
        Assert.Equal(new DateTime(2026, 3, 31, 12, 0, 0, DateTimeKind.Utc), certificate.NotAfter);
        Assert.True(certificate.NotBefore <= clock.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public void Serial_numbers_are_random_and_positive()
    {
        DtlsCertificate a = DtlsCertificate.Generate(TimeProvider.System);
        DtlsCertificate b = DtlsCertificate.Generate(TimeProvider.System);
        Assert.NotEqual(a.Certificate.SerialNumber, b.Certificate.SerialNumber);
        Assert.True(a.Certificate.SerialNumber.SignValue > 0);
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
    }

    [Fact]
    public void Generation_is_fast()
    {
        DtlsCertificate.Generate(TimeProvider.System); // warm up
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 10; i++)
        {
            DtlsCertificate.Generate(TimeProvider.System);
        }

        double each = watch.Elapsed.TotalMilliseconds / 10;
        output.WriteLine($"certificate generation: {each:0.0} ms each");
        Assert.True(each < 200, $"{each:0} ms per certificate");
    }
}
