using LiveHost.Media;
using LiveHost.TestSupport;
using Xunit;

namespace LiveHost.Rtmp.Tests;

public sealed class RtmpTlsTrustTests
{
    [Fact]
    public void Trust_reads_a_ca_from_inline_pem_or_from_a_pem_file()
    {
        using var authority = TestCertificateAuthority.Create();
        Assert.True(RtmpTlsTrust.FromPem(authority.CaPem).IsCustom);
        Assert.True(RtmpTlsTrust.FromPem(authority.CaPemPath).IsCustom);
        Assert.False(RtmpTlsTrust.System.IsCustom);
    }

    [Theory]
    [InlineData("", "trustedCa is empty")]
    [InlineData("/nonexistent/ca.pem", "is neither PEM text nor a readable PEM file")]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----", "holds no PEM certificate")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "holds no PEM certificate")]
    public void Trust_refuses_what_is_not_a_pem_certificate_and_says_what_it_got(string text, string expected)
    {
        Assert.False(RtmpTlsTrust.TryFromPem(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RtmpTlsTrust.FromPem(text));
    }

    [Fact]
    public async Task Output_set_refuses_a_trusted_ca_for_a_plain_rtmp_url_and_adds_nothing()
    {
        using var authority = TestCertificateAuthority.Create();
        await using var outputs = new RtmpOutputSet(
            new MediaBroadcaster(new MediaFormat(320, 240, 25)), new RtmpOutputOptions(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
        var error = Assert.Throws<ArgumentException>(() => outputs.Add("rtmp://127.0.0.1/live/key", RtmpTlsTrust.FromPem(authority.CaPem)));
        Assert.Contains("trustedCa applies to rtmps:// outputs only", error.Message, StringComparison.Ordinal);
        Assert.Empty(outputs.List());
    }
}
