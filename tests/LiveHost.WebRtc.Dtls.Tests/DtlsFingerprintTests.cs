using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace LiveHost.WebRtc.Dtls.Tests;

public sealed class DtlsFingerprintTests(CertificatesFixture certificates) : IClassFixture<CertificatesFixture>
{
    [Fact]
    public void Certificate_fingerprint_has_the_sdp_form()
    {
        Assert.Matches(new Regex("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$"), certificates.Server.Fingerprint);
    }

    [Fact]
    public void Certificate_fingerprint_is_sha256_over_the_der()
    {
        byte[] digest = SHA256.HashData(certificates.Server.Der);
        string expected = "sha-256 " + string.Join(':', digest.Select(b => b.ToString("X2")));
        Assert.Equal(expected, certificates.Server.Fingerprint);
    }

    [Theory]
    [InlineData(DtlsFingerprintAlgorithm.Sha1, "sha-1", 20)]
    [InlineData(DtlsFingerprintAlgorithm.Sha256, "sha-256", 32)]
    [InlineData(DtlsFingerprintAlgorithm.Sha384, "sha-384", 48)]
    [InlineData(DtlsFingerprintAlgorithm.Sha512, "sha-512", 64)]
    public void Every_algorithm_round_trips_through_text(DtlsFingerprintAlgorithm algorithm, string token, int length)
    {
        DtlsFingerprint computed = DtlsFingerprint.Compute(algorithm, certificates.Client.Der);
        string text = computed.ToString();
        Assert.StartsWith(token + " ", text);
        Assert.Equal(length, computed.Value.Length);

        DtlsFingerprint parsed = DtlsFingerprint.Parse(text);
        Assert.Equal(algorithm, parsed.Algorithm);
        Assert.True(parsed.FixedTimeEquals(computed));
        Assert.Equal(text, parsed.ToString());
        Assert.True(parsed.Matches(certificates.Client.Der));
        Assert.False(parsed.Matches(certificates.Server.Der));
    }

    [Fact]
    public void Parse_accepts_lower_case_and_surrounding_whitespace()
    {
        string text = "  SHA-256\t" + certificates.Client.Fingerprint[8..].ToLowerInvariant() + " \r\n";
        DtlsFingerprint parsed = DtlsFingerprint.Parse(text);
        Assert.Equal(certificates.Client.Fingerprint, parsed.ToString());
    }

    [Theory]
    [InlineData("", "must be")]
    [InlineData("sha-256", "must be")]
    [InlineData("md5 AB:CD", "Unsupported fingerprint hash function 'md5'")]
    [InlineData("sha-256 AB:CD", "32 colon-separated hex bytes")]
    [InlineData("sha-1 AB-CD-EF-01-23-45-67-89-AB-CD-EF-01-23-45-67-89-AB-CD-EF-01", "separated by ':'")]
    [InlineData("sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:0G", "'0G' is not a hex byte")]
    public void Parse_refuses_bad_text_with_a_message(string text, string message)
    {
        var failure = Assert.Throws<FormatException>(() => DtlsFingerprint.Parse(text));
        Assert.Contains(message, failure.Message);
        Assert.False(DtlsFingerprint.TryParse(text, out _));
    }

    [Fact]
    public void Comparison_sees_a_difference_in_every_byte_position()
    {
        byte[] digest = SHA256.HashData(certificates.Client.Der);
        DtlsFingerprint reference = DtlsFingerprint.FromDigest(DtlsFingerprintAlgorithm.Sha256, digest);
        for (int i = 0; i < digest.Length; i++)
        {
            byte[] other = (byte[])digest.Clone();
            other[i] ^= 0x01;
            Assert.False(reference.FixedTimeEquals(DtlsFingerprint.FromDigest(DtlsFingerprintAlgorithm.Sha256, other)), $"byte {i}");
        }

        Assert.True(reference.FixedTimeEquals(DtlsFingerprint.FromDigest(DtlsFingerprintAlgorithm.Sha256, digest)));
    }

    [Fact]
    public void Same_digest_under_another_algorithm_is_not_equal()
    {
        byte[] digest = new byte[32];
        var a = DtlsFingerprint.FromDigest(DtlsFingerprintAlgorithm.Sha256, digest);
        byte[] digest48 = new byte[48];
        var b = DtlsFingerprint.FromDigest(DtlsFingerprintAlgorithm.Sha384, digest48);
        Assert.False(a.FixedTimeEquals(b));
    }

    [Fact]
    public void Parse_fuzz_never_throws_anything_but_FormatException()
    {
        var random = new Random(8122);
        string valid = certificates.Client.Fingerprint;
        const string Alphabet = "sha-1256384:ABCDEFabcdef0123456789 \t;xyz";
        for (int i = 0; i < 5_000; i++)
        {
            char[] text = valid.ToCharArray();
            for (int j = random.Next(1, 4); j > 0; j--)
            {
                text[random.Next(text.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            string mutated = new string(text)[..random.Next(text.Length + 1)];
            if (DtlsFingerprint.TryParse(mutated, out DtlsFingerprint? parsed))
            {
                Assert.Equal(mutated.Trim().ToUpperInvariant().Replace("SHA-", "sha-", StringComparison.Ordinal).Replace('\t', ' '), parsed.ToString());
            }
        }
    }
}
