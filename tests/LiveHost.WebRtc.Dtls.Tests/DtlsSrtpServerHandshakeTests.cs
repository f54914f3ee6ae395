using System.Diagnostics;
using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Dtls.Tests;

public sealed class DtlsSrtpServerHandshakeTests(CertificatesFixture certificates, ITestOutputHelper output)
    : IClassFixture<CertificatesFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Handshake_completes_and_both_sides_derive_identical_srtp_keys()
    {
        var watch = Stopwatch.StartNew();
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);

        DtlsSrtpKeys keys = await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);
        output.WriteLine($"handshake (server task) completed in {watch.ElapsedMilliseconds} ms");

        Assert.Equal(DtlsSrtpProfile.AeadAes128Gcm, keys.Profile);
        Assert.Equal((int)DtlsSrtpProfile.AeadAes128Gcm, session.Client.SelectedProfile);

        // RFC 5764 §4.2 layout: client key | server key | client salt | server salt, as the client exported it.
        byte[] serverView = [.. keys.ClientWriteMasterKey, .. keys.ServerWriteMasterKey, .. keys.ClientWriteMasterSalt, .. keys.ServerWriteMasterSalt];
        Assert.Equal(session.Client.ExporterOutput, serverView);
        Assert.Equal(16, keys.ServerWriteMasterKey.Length);
        Assert.Equal(12, keys.ServerWriteMasterSalt.Length);
        Assert.NotEqual(keys.ClientWriteMasterKey, keys.ServerWriteMasterKey);

        Assert.Equal(ProtocolVersion.DTLSv12, session.Client.NegotiatedVersion);
        Assert.True(session.Client.ExtendedMasterSecret);
        Assert.True(keys.ExtendedMasterSecret);
        Assert.Equal(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, keys.CipherSuite);
        Assert.Equal(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, session.Client.CipherSuite);
        Assert.True(certificates.Server.Sha256Fingerprint.Matches(session.Client.ServerCertificateDer));
        Assert.Equal(DtlsSrtpServerState.Connected, session.Server.State);
        Assert.All(session.Link.ServerSent, datagram => Assert.True(datagram.Length <= 1200, $"datagram of {datagram.Length} bytes exceeds the MTU"));
    }

    [Fact]
    public async Task Sequential_handshakes_report_their_duration()
    {
        const int Count = 10;
        var durations = new List<double>();
        for (int i = 0; i < Count; i++)
        {
            var watch = Stopwatch.StartNew();
            using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client);
            await session.ServerHandshake.WaitAsync(Patience);
            await session.ClientConnect.WaitAsync(Patience);
            durations.Add(watch.Elapsed.TotalMilliseconds);
        }

        durations.Sort();
        output.WriteLine($"{Count} in-memory handshakes: first {durations[0]:0.0} .. max {durations[^1]:0.0} ms, median {durations[Count / 2]:0.0} ms");
        Assert.True(durations[Count / 2] < 1000, $"median handshake took {durations[Count / 2]:0} ms");
    }

    [Theory]
    [InlineData(new[] { 0x0007, 0x0001 }, DtlsSrtpProfile.AeadAes128Gcm, 12)]
    [InlineData(new[] { 0x0001, 0x0007 }, DtlsSrtpProfile.Aes128CmHmacSha1_80, 14)]
    [InlineData(new[] { 0x0001 }, DtlsSrtpProfile.Aes128CmHmacSha1_80, 14)]
    [InlineData(new[] { 0x0002, 0x0008, 0x0007 }, DtlsSrtpProfile.AeadAes128Gcm, 12)]
    public async Task Negotiated_profile_follows_the_clients_preference(int[] offered, DtlsSrtpProfile expected, int saltLength)
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client, profiles: offered);

        DtlsSrtpKeys keys = await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);

        Assert.Equal(expected, keys.Profile);
        Assert.Equal((int)expected, session.Client.SelectedProfile);
        Assert.Equal(saltLength, keys.ClientWriteMasterSalt.Length);
        Assert.Equal(saltLength, keys.ServerWriteMasterSalt.Length);
        byte[] serverView = [.. keys.ClientWriteMasterKey, .. keys.ServerWriteMasterKey, .. keys.ClientWriteMasterSalt, .. keys.ServerWriteMasterSalt];
        Assert.Equal(session.Client.ExporterOutput, serverView);
    }

    [Fact]
    public async Task Client_offering_no_supported_profile_is_refused_with_a_message()
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client, profiles: [0x0002, 0x0005]);

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => session.ServerHandshake.WaitAsync(Patience));
        Assert.Contains("No common SRTP protection profile", failure.Message);
        Assert.Contains("0x0002", failure.Message);
        await Assert.ThrowsAnyAsync<TlsException>(() => session.ClientConnect.WaitAsync(Patience));
        Assert.Equal(DtlsSrtpServerState.Failed, session.Server.State);
    }

    [Fact]
    public async Task Client_certificate_that_does_not_match_the_offer_fails_the_handshake()
    {
        using var session = DtlsTestSession.Start(
            output, certificates.Server, certificates.Client, expectedClientFingerprint: certificates.Stranger.Sha256Fingerprint);

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => session.ServerHandshake.WaitAsync(Patience));
        Assert.Contains("does not match the a=fingerprint of the offer", failure.Message);
        Assert.Contains(certificates.Client.Fingerprint, failure.Message);
        Assert.Contains(certificates.Stranger.Fingerprint, failure.Message);

        var clientFailure = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => session.ClientConnect.WaitAsync(Patience));
        Assert.Equal(AlertDescription.bad_certificate, clientFailure.AlertDescription);
        Assert.Equal(DtlsSrtpServerState.Failed, session.Server.State);
        Assert.True(await WaitForThreadExit(session.Server));
    }

    [Fact]
    public async Task Client_without_a_certificate_fails_the_handshake()
    {
        using var session = DtlsTestSession.Start(
            output, certificates.Server, clientCertificate: null, expectedClientFingerprint: certificates.Client.Sha256Fingerprint);

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => session.ServerHandshake.WaitAsync(Patience));
        Assert.Contains("sent no certificate", failure.Message);
        await Assert.ThrowsAnyAsync<TlsException>(() => session.ClientConnect.WaitAsync(Patience));
    }

    [Fact]
    public async Task Client_offering_dtls13_in_supported_versions_gets_dtls12()
    {
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client, offerDtls13: true);

        DtlsSrtpKeys keys = await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);

        Assert.Equal(ProtocolVersion.DTLSv12, session.Client.NegotiatedVersion);
        byte[] serverView = [.. keys.ClientWriteMasterKey, .. keys.ServerWriteMasterKey, .. keys.ClientWriteMasterSalt, .. keys.ServerWriteMasterSalt];
        Assert.Equal(session.Client.ExporterOutput, serverView);

        // Records we send carry DTLS 1.2 (FE FD) once the version is settled.
        Assert.True(DtlsRecordHeader.TryParse(session.Link.ServerSent[0], out DtlsRecordHeader first));
        Assert.Equal(DtlsRecordHeader.Dtls12, first.Version);
    }

    [Fact]
    public async Task Lost_first_client_flight_is_retransmitted_and_the_handshake_completes()
    {
        var link = new InMemoryDtlsLink { ClientToServer = new DatagramImpairment { Drop = { 0 } } };
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client, link: link);

        DtlsSrtpKeys keys = await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);

        Assert.Equal(1, link.ClientToServer.Dropped);
        byte[] serverView = [.. keys.ClientWriteMasterKey, .. keys.ServerWriteMasterKey, .. keys.ClientWriteMasterSalt, .. keys.ServerWriteMasterSalt];
        Assert.Equal(session.Client.ExporterOutput, serverView);
    }

    [Fact]
    public async Task Lost_and_reordered_server_datagrams_are_recovered_by_retransmission()
    {
        // Lose our ServerHello once, and swap the next two datagrams of the flight.
        var link = new InMemoryDtlsLink { ServerToClient = new DatagramImpairment { Drop = { 0 }, HoldIndex = 1 } };
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client, link: link);

        DtlsSrtpKeys keys = await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);

        Assert.Equal(1, link.ServerToClient.Dropped);
        byte[] serverView = [.. keys.ClientWriteMasterKey, .. keys.ServerWriteMasterKey, .. keys.ClientWriteMasterSalt, .. keys.ServerWriteMasterSalt];
        Assert.Equal(session.Client.ExporterOutput, serverView);
    }

    [Fact]
    public async Task Lost_server_Finished_is_resent_after_our_handshake_already_completed()
    {
        // Our final flight (ChangeCipherSpec + Finished) is lost: we already consider the handshake done, the client
        // retransmits its last flight, and the servicing thread must answer it by resending ours.
        var link = new InMemoryDtlsLink
        {
            ServerToClient = new DatagramImpairment
            {
                DropFirstMatching = datagram => DtlsRecordHeader.TryParse(datagram, out DtlsRecordHeader header) && header.Epoch == 1,
            },
        };
        using var session = DtlsTestSession.Start(output, certificates.Server, certificates.Client, link: link);

        DtlsSrtpKeys keys = await session.ServerHandshake.WaitAsync(Patience);
        await session.ClientConnect.WaitAsync(Patience);

        Assert.Equal(1, link.ServerToClient.Dropped);
        byte[] serverView = [.. keys.ClientWriteMasterKey, .. keys.ServerWriteMasterKey, .. keys.ClientWriteMasterSalt, .. keys.ServerWriteMasterSalt];
        Assert.Equal(session.Client.ExporterOutput, serverView);
        Assert.Equal(DtlsSrtpServerState.Connected, session.Server.State);
    }

    [Fact]
    public async Task Handshake_without_a_client_times_out_with_a_clear_message()
    {
        var options = new DtlsSrtpServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) };
        using var server = new DtlsSrtpServer(
            certificates.Server, certificates.Client.Sha256Fingerprint, _ => { }, new TestLogger<DtlsSrtpServer>(output), options);

        var watch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => server.HandshakeAsync().WaitAsync(Patience));
        Assert.Contains("did not complete within 0.3 s", failure.Message);
        Assert.InRange(watch.ElapsedMilliseconds, 250, 5000);
        Assert.True(await WaitForThreadExit(server));
    }

    [Fact]
    public async Task Canceling_the_handshake_cancels_the_task_and_ends_the_thread()
    {
        using var server = new DtlsSrtpServer(
            certificates.Server, certificates.Client.Sha256Fingerprint, _ => { }, new TestLogger<DtlsSrtpServer>(output));
        using var cancel = new CancellationTokenSource();

        Task<DtlsSrtpKeys> handshake = server.HandshakeAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(Patience));
        Assert.True(await WaitForThreadExit(server));
    }

    [Fact]
    public void Second_HandshakeAsync_call_is_refused()
    {
        using var server = new DtlsSrtpServer(
            certificates.Server, certificates.Client.Sha256Fingerprint, _ => { }, new TestLogger<DtlsSrtpServer>(output));
        _ = server.HandshakeAsync();
        Assert.Throws<InvalidOperationException>(() => { _ = server.HandshakeAsync(); });
    }

    internal static async Task<bool> WaitForThreadExit(DtlsSrtpServer server)
    {
        var watch = Stopwatch.StartNew();
        while (server.IsThreadRunning && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        return !server.IsThreadRunning;
    }
}
