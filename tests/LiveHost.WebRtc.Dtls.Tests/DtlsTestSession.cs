using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Dtls.Tests;

/// <summary>One server and one BouncyCastle client joined by an <see cref="InMemoryDtlsLink"/>, handshaking.</summary>
internal sealed class DtlsTestSession : IDisposable
{
    public static readonly int[] GcmThenCm = [(int)DtlsSrtpProfile.AeadAes128Gcm, (int)DtlsSrtpProfile.Aes128CmHmacSha1_80];

    private DtlsTestSession(InMemoryDtlsLink link, DtlsSrtpServer server, TestDtlsClient client)
    {
        Link = link;
        Server = server;
        Client = client;
        ServerHandshake = server.HandshakeAsync();
        ClientConnect = Task.Factory.StartNew(
            () => new DtlsClientProtocol().Connect(client, link), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public InMemoryDtlsLink Link { get; }

    public DtlsSrtpServer Server { get; }

    public TestDtlsClient Client { get; }

    public Task<DtlsSrtpKeys> ServerHandshake { get; }

    public Task<DtlsTransport> ClientConnect { get; }

    public static DtlsTestSession Start(
        ITestOutputHelper output,
        DtlsCertificate serverCertificate,
        DtlsCertificate? clientCertificate,
        DtlsFingerprint? expectedClientFingerprint = null,
        int[]? profiles = null,
        InMemoryDtlsLink? link = null,
        DtlsSrtpServerOptions? options = null,
        bool offerDtls13 = false)
    {
        link ??= new InMemoryDtlsLink();
        DtlsFingerprint expected = expectedClientFingerprint ?? clientCertificate?.Sha256Fingerprint
            ?? throw new ArgumentException("Need an expected fingerprint.");
        var server = new DtlsSrtpServer(serverCertificate, expected, link.SendToClient, new TestLogger<DtlsSrtpServer>(output), options);
        link.Attach(server);
        var client = new TestDtlsClient(clientCertificate, profiles ?? GcmThenCm, offerDtls13);
        return new DtlsTestSession(link, server, client);
    }

    public void Dispose()
    {
        Server.Dispose();
        Link.Close();
        if (ClientConnect.IsCompletedSuccessfully)
        {
            try
            {
                ClientConnect.GetAwaiter().GetResult().Close();
            }
            catch (IOException)
            {
                // Already closed.
            }
        }
    }
}
