using System.Net;
using System.Net.Sockets;
using LiveHost.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.WebRtc.Ice.Tests;

/// <summary>
/// The STUN Binding and the TURN client against a real coturn on 127.0.0.1 (started per test from a temp config): a
/// server-reflexive address, an allocation with long-term credentials (401, then signed), permission, data both ways
/// through the relay (Send and Data indications), Refresh, and refused credentials.
/// </summary>
public sealed class TurnClientCoturnTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_STUN_Binding_to_coturn_returns_the_sockets_own_address_as_seen_from_loopback()
    {
        await using var coturn = await CoturnServer.StartAsync("alice", "s3cret-alice");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var transaction = new StunTransaction();
        var request = new byte[28];
        var writer = new StunMessageWriter(request, StunMessageType.BindingRequest, transaction.TransactionId);
        writer.AddFingerprint();
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[1500];
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
                if (transaction.TryComplete(buffer.AsSpan(0, received.ReceivedBytes))) return;
            }
        });

        var response = await transaction.RunAsync(r => socket.SendTo(r.Span, coturn.EndPoint), request.AsMemory(0, writer.Length), Timeout, TimeProvider.System, default);

        Assert.True(StunMessage.TryParse(response, out var message));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.MessageType);
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(socket.LocalEndPoint, mapped);
        await receiving;
    }

    [Fact]
    public async Task An_allocation_relays_a_peers_datagram_to_the_local_agent_and_the_agents_reply_back_to_the_peer()
    {
        await using var coturn = await CoturnServer.StartAsync("alice", "s3cret-alice");
        using var agent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var agentEndPoint = (IPEndPoint)agent.Client.LocalEndPoint!;
        var peerEndPoint = (IPEndPoint)peer.Client.LocalEndPoint!;

        await using var turn = await TurnClient.AllocateAsync(new IceServerUrl(true, "127.0.0.1", coturn.Port), coturn.EndPoint, "alice", "s3cret-alice",
            agentEndPoint, Timeout, TimeProvider.System, default);
        Assert.Equal(IPAddress.Loopback, turn.RelayedAddress.Address);
        Assert.NotEqual(coturn.Port, turn.RelayedAddress.Port);
        await turn.CreatePermissionAsync([IPAddress.Loopback], default);

        // The peer sends to the relayed address; the agent receives it from a local stand-in of the peer...
        await peer.SendAsync("ping from the peer"u8.ToArray(), turn.RelayedAddress);
        var atAgent = await agent.ReceiveAsync().WaitAsync(Timeout);
        Assert.Equal("ping from the peer"u8.ToArray(), atAgent.Buffer);
        Assert.NotEqual(peerEndPoint, atAgent.RemoteEndPoint);

        // ...and what the agent answers to that stand-in reaches the peer from the relayed address.
        await agent.SendAsync("pong from the agent"u8.ToArray(), atAgent.RemoteEndPoint);
        var atPeer = await peer.ReceiveAsync().WaitAsync(Timeout);
        Assert.Equal("pong from the agent"u8.ToArray(), atPeer.Buffer);
        Assert.Equal(turn.RelayedAddress, atPeer.RemoteEndPoint);
        Assert.Equal(1, turn.DatagramsFromPeers);
        Assert.Equal(1, turn.DatagramsToPeers);
    }

    [Fact]
    public async Task A_peer_without_a_permission_is_not_relayed()
    {
        await using var coturn = await CoturnServer.StartAsync("alice", "s3cret-alice");
        using var agent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var turn = await TurnClient.AllocateAsync(new IceServerUrl(true, "127.0.0.1", coturn.Port), coturn.EndPoint, "alice", "s3cret-alice",
            (IPEndPoint)agent.Client.LocalEndPoint!, Timeout, TimeProvider.System, default);
        await turn.CreatePermissionAsync([IPAddress.Parse("127.0.0.2")], default);

        await peer.SendAsync("not permitted"u8.ToArray(), turn.RelayedAddress);
        // What the permitted address then sends is the first thing through: the unpermitted datagram was dropped.
        using var permitted = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await permitted.SendAsync("permitted"u8.ToArray(), turn.RelayedAddress);
        var first = await agent.ReceiveAsync().WaitAsync(Timeout);
        Assert.Equal("permitted"u8.ToArray(), first.Buffer);
    }

    [Fact]
    public async Task The_allocation_is_refreshed_with_its_permissions_when_half_its_lifetime_has_passed()
    {
        await using var coturn = await CoturnServer.StartAsync("alice", "s3cret-alice");
        var time = new FakeTimeProvider();
        await using var turn = await TurnClient.AllocateAsync(new IceServerUrl(true, "127.0.0.1", coturn.Port), coturn.EndPoint, "alice", "s3cret-alice",
            null, Timeout, time, default);
        await turn.CreatePermissionAsync([IPAddress.Loopback], default);
        var refreshed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        turn.Refreshed += _ => refreshed.TrySetResult();

        time.Advance(TimeSpan.FromMinutes(4));

        await refreshed.Task.WaitAsync(Timeout);
        await coturn.WaitForLineAsync(l => l.Contains("refreshed", StringComparison.OrdinalIgnoreCase), Timeout);
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_with_a_message_naming_the_server_the_user_and_401()
    {
        await using var coturn = await CoturnServer.StartAsync("alice", "s3cret-alice");

        var refused = await Assert.ThrowsAsync<TurnException>(() => TurnClient.AllocateAsync(new IceServerUrl(true, "127.0.0.1", coturn.Port), coturn.EndPoint,
            "alice", "wrong-password", null, Timeout, TimeProvider.System, default));

        Assert.Contains($"turn:127.0.0.1:{coturn.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("refused the credentials of user 'alice' (401", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_TURN_server_is_reported_after_the_timeout()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = (IPEndPoint)silent.Client.LocalEndPoint!;

        var refused = await Assert.ThrowsAsync<TurnException>(() => TurnClient.AllocateAsync(new IceServerUrl(true, "127.0.0.1", endpoint.Port), endpoint,
            "alice", "x", null, TimeSpan.FromSeconds(1), TimeProvider.System, default));

        Assert.Contains("did not answer within 1 s", refused.Message, StringComparison.Ordinal);
    }
}
