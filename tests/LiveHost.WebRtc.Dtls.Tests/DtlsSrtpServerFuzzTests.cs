using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Dtls.Tests;

public sealed class DtlsSrtpServerFuzzTests(CertificatesFixture certificates, ITestOutputHelper output)
    : IClassFixture<CertificatesFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly int FuzzCount = int.TryParse(Environment.GetEnvironmentVariable("LIVEHOST_DTLS_FUZZ_COUNT"), out int n) ? n : 2_000;

    [Fact]
    public async Task Random_and_mutated_datagrams_during_the_handshake_never_throw_from_Receive()
    {
        IReadOnlyList<byte[]> corpus = await CaptureClientDatagrams();
        var mutator = new DatagramMutator(seed: 5764, corpus);
        var options = new DtlsSrtpServerOptions { HandshakeTimeout = TimeSpan.FromSeconds(15) };
        int sent = 0;
        using var server = new DtlsSrtpServer(
            certificates.Server, certificates.Client.Sha256Fingerprint, _ => Interlocked.Increment(ref sent), new TestLogger<DtlsSrtpServer>(output), options);
        Task<DtlsSrtpKeys> handshake = server.HandshakeAsync();

        for (int i = 0; i < 2_000; i++)
        {
            server.Receive(mutator.Next());
            if (i % 100 == 0)
            {
                // Let the DTLS thread chew on what is queued so more than the last 64 datagrams get processed.
                await Task.Delay(1);
            }
        }

        server.Dispose();
        Assert.False(server.IsThreadRunning);
        Assert.True(handshake.IsCompleted);
        if (handshake.IsFaulted)
        {
            Exception failure = handshake.Exception!.InnerException!;
            output.WriteLine($"handshake ended with {failure.GetType().Name}: {failure.Message}");
            Assert.True(failure is DtlsHandshakeException or ObjectDisposedException or TimeoutException, failure.ToString());
        }

        output.WriteLine($"server sent {sent} datagrams, dropped {server.DroppedDatagrams} incoming");
    }

    [Fact]
    public async Task Junk_interleaved_with_a_real_handshake_does_not_stop_it()
    {
        var link = new InMemoryDtlsLink();
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client, link: link);
        var random = new Random(7983);
        for (int i = 0; i < 300 && !session.ServerHandshake.IsCompleted; i++)
        {
            byte[] junk = new byte[random.Next(13, 300)];
            random.NextBytes(junk);
            junk[0] = (byte)random.Next(20, 64);
            session.Server.Receive(junk);
            await Task.Delay(1);
        }

        DtlsSrtpKeys keys = await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);
        byte[] serverView = [.. keys.ClientWriteMasterKey, .. keys.ServerWriteMasterKey, .. keys.ClientWriteMasterSalt, .. keys.ServerWriteMasterSalt];
        Assert.Equal(session.Client.ExporterOutput, serverView);
    }

    [Theory]
    [InlineData(8827)]
    [InlineData(5764)]
    [InlineData(7983)]
    public async Task Random_and_mutated_datagrams_after_the_handshake_do_not_harm_the_session(int seed)
    {
        var link = new InMemoryDtlsLink();
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client, link: link);
        bool closedEarly = false;
        var closed = new TaskCompletionSource<DtlsClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        DtlsClosedEventArgs? closedArgs = null;
        session.Server.Closed += (_, args) =>
        {
            closedArgs = args;
            closed.TrySetResult(args);
        };
        await session.ServerHandshake.WaitAsync(Patience);
        DtlsTransport client = await session.ClientConnect.WaitAsync(Patience);

        // Valid epoch-1 records to mutate: application data and a heartbeat-free alert-free stream.
        for (int i = 0; i < 20; i++)
        {
            client.Send(new byte[] { (byte)i, 1, 2, 3, 4, 5, 6, 7 }, 0, 8);
        }

        IReadOnlyList<byte[]> corpus = link.ClientSent;
        int serverSentBefore = link.ServerSent.Count;
        var mutator = new DatagramMutator(seed, corpus);
        for (int i = 0; i < FuzzCount; i++)
        {
            session.Server.Receive(mutator.Next());
            if (i % 50 == 0)
            {
                await Task.Delay(1);
            }

            closedEarly |= closed.Task.IsCompleted;
        }

        // Give the thread pool time to drain what is queued.
        await Task.Delay(300);
        closedEarly |= closed.Task.IsCompleted;

        Assert.False(closedEarly, $"closed: {closedArgs?.Reason} {closedArgs?.AlertDescription}");
        Assert.Equal(DtlsSrtpServerState.Connected, session.Server.State);
        Assert.DoesNotContain(
            link.ServerSent.Skip(serverSentBefore),
            datagram => DtlsRecordHeader.TryParse(datagram, out DtlsRecordHeader header) && header.ContentType == DtlsRecordHeader.Alert);
        output.WriteLine($"after fuzz: {link.ServerSent.Count - serverSentBefore} datagrams sent by the server, {session.Server.DroppedDatagrams} dropped, {session.Server.DiscardedRecordErrors} record errors caught");

        // Still alive: an orderly close from the peer is still understood.
        client.Close();
        DtlsClosedEventArgs args = await closed.Task.WaitAsync(Patience);
        Assert.Equal(DtlsCloseReason.PeerCloseNotify, args.Reason);
    }

    private async Task<IReadOnlyList<byte[]>> CaptureClientDatagrams()
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);
        await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);
        return session.Link.ClientSent;
    }
}
