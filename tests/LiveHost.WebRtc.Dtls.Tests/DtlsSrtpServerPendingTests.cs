using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Dtls.Tests;

/// <summary>An association offered but never reached (a WHEP POST and nothing more) costs a timer, not a thread.</summary>
public sealed class DtlsSrtpServerPendingTests(CertificatesFixture certificates, ITestOutputHelper output)
    : IClassFixture<CertificatesFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private DtlsSrtpServer NewServer(TimeProvider time) =>
        new(certificates.Server, certificates.Client.Sha256Fingerprint, _ => { }, new TestLogger<DtlsSrtpServer>(output),
            new DtlsSrtpServerOptions { HandshakeTimeout = TimeSpan.FromSeconds(10) }, time);

    [Fact]
    public async Task A_handshake_no_record_reaches_holds_no_thread_and_times_out_on_its_clock()
    {
        var time = new FakeTimeProvider();
        using var server = NewServer(time);

        var handshake = server.HandshakeAsync();
        Assert.Equal(DtlsSrtpServerState.Handshaking, server.State);
        Assert.False(server.IsThreadRunning);

        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(handshake.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => handshake.WaitAsync(Patience));
        Assert.Contains("within 10 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(DtlsSrtpServerState.Failed, server.State);
        Assert.False(server.IsThreadRunning);
    }

    [Fact]
    public async Task Disposing_a_handshake_no_record_reached_ends_it_as_disposed()
    {
        using var server = NewServer(new FakeTimeProvider());
        var handshake = server.HandshakeAsync();

        server.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => handshake.WaitAsync(Patience));
        Assert.Equal(DtlsSrtpServerState.Closed, server.State);
        Assert.False(server.IsThreadRunning);
    }

    [Fact]
    public async Task Canceling_a_handshake_no_record_reached_cancels_it()
    {
        using var server = NewServer(new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();
        var handshake = server.HandshakeAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(Patience));
        Assert.False(server.IsThreadRunning);
    }

    [Fact]
    public async Task The_handshake_thread_starts_with_the_first_record_and_the_handshake_completes()
    {
        // The client's ClientHello is the first record: the full handshake still runs (and the thread ends after it).
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);
        var keys = await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);

        Assert.NotNull(keys);
        Assert.Equal(DtlsSrtpServerState.Connected, session.Server.State);
        Assert.True(await DtlsSrtpServerHandshakeTests.WaitForThreadExit(session.Server));
    }
}
