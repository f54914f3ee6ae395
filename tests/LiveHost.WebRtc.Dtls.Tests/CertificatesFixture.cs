namespace LiveHost.WebRtc.Dtls.Tests;

/// <summary>One server and one client certificate shared by a test class (generation is cheap, but not free).</summary>
public sealed class CertificatesFixture
{
    public DtlsCertificate Server { get; } = DtlsCertificate.Generate(TimeProvider.System);

    public DtlsCertificate Client { get; } = DtlsCertificate.Generate(TimeProvider.System);

    public DtlsCertificate Stranger { get; } = DtlsCertificate.Generate(TimeProvider.System);
}
