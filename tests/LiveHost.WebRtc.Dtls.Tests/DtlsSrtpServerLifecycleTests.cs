using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Dtls.Tests;

public sealed class DtlsSrtpServerLifecycleTests(CertificatesFixture certificates, ITestOutputHelper output)
    : IClassFixture<CertificatesFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A well-formed DTLS 1.2 record holding the first 10 bytes of a 100-byte ClientHello: it starts the handshake
    /// thread, which then waits for the rest.
    /// </summary>
    internal static readonly byte[] PartialClientHello =
    [
        22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 22,
        1, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 10,
        0xFE, 0xFD, 1, 2, 3, 4, 5, 6, 7, 8,
    ];

    [Fact]
    public async Task Peer_close_notify_raises_Closed_and_ends_the_thread()
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);
        var closed = new TaskCompletionSource<DtlsClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Server.Closed += (_, args) => closed.TrySetResult(args);
        await session.ServerHandshake.WaitAsync(Patience);
        DtlsTransport client = await session.ClientConnect.WaitAsync(Patience);

        client.Close();

        DtlsClosedEventArgs args = await closed.Task.WaitAsync(Patience);
        Assert.Equal(DtlsCloseReason.PeerCloseNotify, args.Reason);
        Assert.Equal(AlertDescription.close_notify, args.AlertDescription);
        Assert.Equal(DtlsSrtpServerState.Closed, session.Server.State);
        Assert.True(await DtlsSrtpServerHandshakeTests.WaitForThreadExit(session.Server));
    }

    [Fact]
    public async Task Close_notify_sharing_a_datagram_with_application_data_raises_Closed()
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);
        var closed = new TaskCompletionSource<DtlsClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Server.Closed += (_, args) => closed.TrySetResult(args);
        await session.ServerHandshake.WaitAsync(Patience);
        DtlsTransport client = await session.ClientConnect.WaitAsync(Patience);

        // The next client datagram (application data) is glued in front of the close_notify that follows it.
        session.Link.ClientToServer.CoalesceIndex = session.Link.ClientToServer.Count;
        client.Send([1, 2, 3], 0, 3);
        client.Close();

        DtlsClosedEventArgs args = await closed.Task.WaitAsync(Patience);
        Assert.Equal(DtlsCloseReason.PeerCloseNotify, args.Reason);
    }

    [Fact]
    public async Task A_connected_association_holds_no_thread()
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);
        await session.ServerHandshake.WaitAsync(Patience);
        _ = await session.ClientConnect.WaitAsync(Patience);

        // The handshake thread ends once the keys are out: a room's viewers do not cost a thread each.
        Assert.True(await DtlsSrtpServerHandshakeTests.WaitForThreadExit(session.Server));
        Assert.Equal(DtlsSrtpServerState.Connected, session.Server.State);
    }

    [Fact]
    public async Task Dispose_after_the_handshake_sends_close_notify()
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);
        bool closedRaised = false;
        session.Server.Closed += (_, _) => closedRaised = true;
        await session.ServerHandshake.WaitAsync(Patience);
        DtlsTransport client = await session.ClientConnect.WaitAsync(Patience);

        session.Server.Dispose();

        Assert.False(session.Server.IsThreadRunning);
        Assert.Equal(DtlsSrtpServerState.Closed, session.Server.State);
        Assert.False(closedRaised);

        // The client reads our close_notify.
        byte[] buffer = new byte[1500];
        int received = client.Receive(buffer, 0, buffer.Length, 500);
        Assert.True(received < 0);
        Assert.Contains(session.Client.AlertsReceived, alert => alert.Description == AlertDescription.close_notify);
    }

    [Fact]
    public async Task Dispose_during_the_handshake_faults_the_task_and_stops_the_thread()
    {
        using var server = new DtlsSrtpServer(
            certificates.Server, certificates.Client.Sha256Fingerprint, _ => { }, new TestLogger<DtlsSrtpServer>(output));
        Task<DtlsSrtpKeys> handshake = server.HandshakeAsync();
        Assert.False(server.IsThreadRunning);
        server.Receive(PartialClientHello);
        Assert.True(server.IsThreadRunning);

        server.Dispose();

        Assert.False(server.IsThreadRunning);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => handshake.WaitAsync(Patience));
        Assert.Equal(DtlsSrtpServerState.Closed, server.State);
    }

    [Fact]
    public async Task Disposing_many_sessions_leaves_no_dtls_threads()
    {
        var servers = new List<DtlsSrtpServer>();
        for (int i = 0; i < 20; i++)
        {
            var server = new DtlsSrtpServer(
                certificates.Server, certificates.Client.Sha256Fingerprint, _ => { }, new TestLogger<DtlsSrtpServer>(output));
            _ = server.HandshakeAsync();
            server.Receive(PartialClientHello);
            servers.Add(server);
        }

        Assert.All(servers, server => Assert.True(server.IsThreadRunning));
        foreach (DtlsSrtpServer server in servers)
        {
            server.Dispose();
        }

        Assert.All(servers, server => Assert.False(server.IsThreadRunning));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Dispose_from_a_Closed_handler_does_not_deadlock()
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Server.Closed += (sender, _) =>
        {
            ((DtlsSrtpServer)sender!).Dispose();
            disposed.TrySetResult();
        };
        await session.ServerHandshake.WaitAsync(Patience);
        DtlsTransport client = await session.ClientConnect.WaitAsync(Patience);

        client.Close();

        await disposed.Task.WaitAsync(Patience);
        Assert.True(await DtlsSrtpServerHandshakeTests.WaitForThreadExit(session.Server));
    }

    [Fact]
    public void Receive_after_Dispose_is_ignored()
    {
        var server = new DtlsSrtpServer(
            certificates.Server, certificates.Client.Sha256Fingerprint, _ => { }, new TestLogger<DtlsSrtpServer>(output));
        server.Dispose();
        server.Receive(new byte[100]);
        Assert.Equal(1, server.DroppedDatagrams);
        Assert.Throws<ObjectDisposedException>(() => { _ = server.HandshakeAsync(); });
    }

    [Fact]
    public void Bad_options_are_refused_with_a_message()
    {
        var options = new DtlsSrtpServerOptions { Mtu = 100 };
        var failure = Assert.Throws<ArgumentException>(() => new DtlsSrtpServer(
            certificates.Server, certificates.Client.Sha256Fingerprint, _ => { }, new TestLogger<DtlsSrtpServer>(output), options));
        Assert.Contains("Mtu", failure.Message);
    }
}
