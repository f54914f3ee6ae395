using System.Net;

namespace LiveHost.WebRtc.Ice.Tests;

/// <summary>
/// Random and mutated datagrams through the parser and the agent: nothing may throw, nothing may select an
/// address or refresh consent, and the session still answers a valid check afterwards.
/// </summary>
public sealed class StunFuzzTests
{
    private const int Iterations = 20_000;
    private static readonly IceCredentials BrowserCredentials = new("brws", "browserPasswordBrowserPw");

    [Fact]
    public void RandomAndMutatedPackets_NeverThrowNorHarmTheSession()
    {
        var random = new Random(5769);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var agent = new IceLiteAgent(BrowserCredentials, time);
        var legit = new IPEndPoint(IPAddress.Loopback, 50000);
        var attacker = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 666);
        var response = new byte[IceLiteAgent.MinResponseBufferSize];

        Assert.Equal(IceResult.Nominated, agent.Handle(ValidCheck(agent), legit, response, out _));
        var consentBefore = agent.LastConsent;
        time.Advance(TimeSpan.FromSeconds(1));

        byte[][] seeds =
        [
            Rfc5769Vectors.Request, Rfc5769Vectors.Ipv4Response, Rfc5769Vectors.Ipv6Response,
            Rfc5769Vectors.LongTermRequest, ValidCheck(agent), BrowserCheck.Build(agent.Local.Ufrag, "brws", agent.Local.Password, controlled: true),
        ];
        var counts = new Dictionary<IceResult, int>();
        int parsed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] seed = seeds[random.Next(seeds.Length)];
            byte[] packet = Mutate(random, seed);
            if (packet.AsSpan().SequenceEqual(seed))
            {
                continue; // an unchanged valid check may legitimately select its source
            }

            if (StunMessage.TryParse(packet, out var message))
            {
                parsed++;
                Touch(message);
            }

            _ = PacketClassifier.Classify(packet);
            _ = IceLiteAgent.TryGetLocalUfrag(packet, out _);
            var result = agent.Handle(packet, attacker, response, out int length);
            counts[result] = counts.GetValueOrDefault(result) + 1;
            Assert.InRange(length, 0, response.Length);
            Assert.NotEqual(IceResult.Nominated, result);
            Assert.NotEqual(IceResult.Validated, result);
        }

        Assert.Equal(legit, agent.SelectedRemote);
        Assert.Equal(consentBefore, agent.LastConsent);
        Assert.True(parsed > 1000, $"only {parsed} mutated packets still parsed: the mutations are too destructive to reach attribute code");
        Assert.True(counts.GetValueOrDefault(IceResult.Ignored) > 0);
        Assert.Equal(IceResult.Nominated, agent.Handle(ValidCheck(agent), legit, response, out int validLength));
        Assert.True(validLength > 0);
        Assert.Equal(time.GetUtcNow(), agent.LastConsent);
    }

    private static byte[] ValidCheck(IceLiteAgent agent)
        => BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password);

    // Exercises every accessor on a message that parsed, since parse-then-read is where offsets go wrong.
    private static void Touch(StunMessage message)
    {
        _ = message.TryGetUsername(out _);
        _ = message.TryGetPriority(out _);
        _ = message.TryGetIceControlled(out _);
        _ = message.TryGetIceControlling(out _);
        _ = message.TryGetErrorCode(out _, out _);
        _ = message.TryGetXorMappedAddress(out _);
        _ = message.HasUseCandidate;
        _ = message.VerifyFingerprint();
        _ = message.VerifyMessageIntegrity("key"u8);
        _ = message.TryGetAttribute(StunAttributeType.MessageIntegrity, out _);
        _ = message.TryGetAttribute(StunAttributeType.Fingerprint, out _);
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        byte[] packet = (byte[])seed.Clone();
        switch (random.Next(7))
        {
            case 0: // bit flips anywhere
                for (int n = random.Next(1, 4); n > 0; n--)
                {
                    int bit = random.Next(packet.Length * 8);
                    packet[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return packet;
            case 1: // truncation
                return packet.AsSpan(0, random.Next(packet.Length)).ToArray();
            case 2: // header length field edits, valid-looking multiples of 4 included
                int length = random.Next(3) == 0 ? random.Next(65536) : (packet.Length - 20) + (random.Next(-6, 7) * 4);
                packet[2] = (byte)(length >> 8);
                packet[3] = (byte)length;
                return packet;
            case 3: // attribute length field edits (keeps the header length, so the walk must catch overruns)
                int offset = 20;
                int hops = random.Next(6);
                while (hops-- > 0 && offset + 4 <= packet.Length)
                {
                    offset += 4 + (((packet[offset + 2] << 8 | packet[offset + 3]) + 3) & ~3);
                }

                if (offset + 4 <= packet.Length)
                {
                    int value = random.Next(3) == 0 ? random.Next(65536) : random.Next(0, 32);
                    packet[offset + 2] = (byte)(value >> 8);
                    packet[offset + 3] = (byte)value;
                }

                return packet;
            case 4: // random bytes behind a valid header
                random.NextBytes(packet.AsSpan(20));
                return packet;
            case 5: // appended junk with a fixed-up length
                byte[] longer = new byte[packet.Length + (random.Next(1, 8) * 4)];
                packet.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(packet.Length));
                longer[2] = (byte)((longer.Length - 20) >> 8);
                longer[3] = (byte)(longer.Length - 20);
                return longer;
            default: // pure noise, sometimes starting like STUN
                byte[] noise = new byte[random.Next(0, 200)];
                random.NextBytes(noise);
                if (noise.Length >= 8 && random.Next(2) == 0)
                {
                    noise[0] = 0;
                    noise[1] = 1;
                    noise[4] = 0x21;
                    noise[5] = 0x12;
                    noise[6] = 0xA4;
                    noise[7] = 0x42;
                }

                return noise;
        }
    }
}
