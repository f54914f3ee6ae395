using System.Net;
using System.Text;

namespace LiveHost.WebRtc.Ice.Tests;

/// <summary>
/// The TURN side of the STUN code without a server: the long-term key against RFC 5769 §2.4, the TURN attributes
/// written and read back, and random and mutated TURN messages through the Data indication reader (never throws).
/// </summary>
public sealed class TurnVectorAndFuzzTests
{
    [Fact]
    public void The_long_term_key_verifies_the_RFC_5769_long_term_request_and_a_wrong_password_does_not()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.LongTermRequest, out var message));

        Assert.True(message.VerifyMessageIntegrity(StunLongTermKey.Compute(Rfc5769Vectors.LongTermUsername, Rfc5769Vectors.LongTermRealm, Rfc5769Vectors.LongTermPreparedPassword)));
        Assert.False(message.VerifyMessageIntegrity(StunLongTermKey.Compute(Rfc5769Vectors.LongTermUsername, Rfc5769Vectors.LongTermRealm, "TheMatrix")));
    }

    [Fact]
    public void A_Data_indication_written_with_an_IPv4_or_IPv6_peer_is_read_back_with_its_peer_and_payload()
    {
        foreach (var peer in new[] { new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50123), new IPEndPoint(IPAddress.Parse("2001:db8::9"), 443) })
        {
            var payload = Encoding.ASCII.GetBytes("odd-length payload!");
            var buffer = new byte[256];
            var writer = new StunMessageWriter(buffer, TurnMessageType.DataIndication, new byte[12]);
            writer.AddXorAddress(TurnAttributeType.XorPeerAddress, peer.Address, peer.Port);
            writer.AddAttribute(TurnAttributeType.Data, payload);

            Assert.True(TurnClient.TryReadDataIndication(buffer.AsSpan(0, writer.Length), out var readPeer, out var data));
            Assert.Equal(peer, readPeer);
            Assert.Equal(payload, data.ToArray());
        }
    }

    [Fact]
    public void A_Send_indication_or_a_Binding_response_is_not_read_as_a_Data_indication()
    {
        var buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, TurnMessageType.SendIndication, new byte[12]);
        writer.AddXorAddress(TurnAttributeType.XorPeerAddress, IPAddress.Loopback, 9);
        writer.AddAttribute(TurnAttributeType.Data, [1, 2, 3]);

        Assert.False(TurnClient.TryReadDataIndication(buffer.AsSpan(0, writer.Length), out _, out _));
        Assert.False(TurnClient.TryReadDataIndication(Rfc5769Vectors.Ipv4Response, out _, out _));
    }

    [Fact]
    public void Random_and_mutated_TURN_messages_never_throw_and_a_read_payload_always_lies_inside_the_datagram()
    {
        var random = new Random(8656);
        var seeds = new List<byte[]>();
        foreach (var type in new[] { TurnMessageType.DataIndication, TurnMessageType.AllocateSuccess, TurnMessageType.AllocateError })
        {
            var buffer = new byte[200];
            var writer = new StunMessageWriter(buffer, type, new byte[12]);
            writer.AddXorAddress(TurnAttributeType.XorPeerAddress, IPAddress.Parse("198.51.100.1"), 3478);
            writer.AddXorAddress(TurnAttributeType.XorRelayedAddress, IPAddress.Parse("2001:db8::1"), 49152);
            writer.AddAttribute(TurnAttributeType.Data, Encoding.ASCII.GetBytes("payload"));
            writer.AddAttribute(TurnAttributeType.Lifetime, [0, 0, 2, 88]);
            writer.AddErrorCode(401, "Unauthorized"u8);
            writer.AddAttribute(TurnAttributeType.Realm, "livehost.test"u8);
            writer.AddMessageIntegrity([1, 2, 3]);
            writer.AddFingerprint();
            seeds.Add(buffer[..writer.Length]);
        }
        var read = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var packet = (byte[])seeds[random.Next(seeds.Count)].Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++) packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
            if (random.Next(4) == 0) packet = packet[..random.Next(packet.Length)];

            if (TurnClient.TryReadDataIndication(packet, out var peer, out var data))
            {
                read++;
                Assert.NotNull(peer);
                Assert.InRange(data.Length, 0, packet.Length);
            }
            if (StunMessage.TryParse(packet, out var message))
            {
                _ = message.TryGetXorAddress(TurnAttributeType.XorRelayedAddress, out _);
                _ = message.TryGetLifetime(out _);
                _ = message.TryGetErrorCode(out _, out _);
                _ = message.VerifyMessageIntegrity([1, 2, 3]);
            }
        }
        Assert.True(read > 0, "no mutation left a readable Data indication: the fuzz did not reach the reader");
    }

    [Theory]
    [InlineData("stun:stun.example.org", false, "stun.example.org", 3478)]
    [InlineData("turn:127.0.0.1:3479", true, "127.0.0.1", 3479)]
    [InlineData("turn:turn.example.org:80?transport=udp", true, "turn.example.org", 80)]
    [InlineData("stun:[2001:db8::1]:19302", false, "2001:db8::1", 19302)]
    public void Stun_and_TURN_URLs_parse_to_host_and_port(string url, bool turn, string host, int port)
    {
        Assert.True(IceServerUrl.TryParse(url, out var parsed, out var error), error);
        Assert.Equal(new IceServerUrl(turn, host, port), parsed);
    }

    [Theory]
    [InlineData("turns:turn.example.org", "not supported")]
    [InlineData("turn:turn.example.org?transport=tcp", "TCP is not")]
    [InlineData("http://turn.example.org", "not a STUN or TURN URL")]
    [InlineData("stun:", "no usable host")]
    [InlineData("stun:host:99999", "bad port")]
    [InlineData("stun://host:3478", "no '//'")]
    public void Unusable_ICE_server_URLs_are_refused_with_the_reason(string url, string reason)
    {
        Assert.False(IceServerUrl.TryParse(url, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
