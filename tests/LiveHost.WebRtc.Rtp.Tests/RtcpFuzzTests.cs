using LiveHost.WebRtc.Rtp.Rtcp;
using LiveHost.WebRtc.Rtp.Timing;

namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class RtcpFuzzTests
{
    private static byte[][] SeedCorpus()
    {
        var sr = new byte[64];
        var length = new RtcpSenderReport(1, new NtpTimestamp(0x0123456789ABCDEF), 2, 3, 4).WriteCompoundWithCname(sr, "seed");
        return
        [
            RtcpPacketTests.Nack, RtcpPacketTests.Pli, RtcpPacketTests.Fir, RtcpPacketTests.Remb, RtcpPacketTests.Twcc, RtcpPacketTests.Bye,
            RtcpPacketTests.ReceiverReport(), sr[..length],
            [.. RtcpPacketTests.ReceiverReport(), .. RtcpPacketTests.Nack, .. RtcpPacketTests.Pli, .. RtcpPacketTests.Fir],
        ];
    }

    private static byte[] Mutate(Random random, byte[][] corpus)
    {
        var input = (byte[])corpus[random.Next(corpus.Length)].Clone();
        switch (random.Next(5))
        {
            case 0: // bit flips
                for (var i = random.Next(1, 5); i > 0 && input.Length > 0; i--) input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                return input;
            case 1: // truncation
                return input[..random.Next(input.Length + 1)];
            case 2: // a lying length field, or count/FMT field
                if (input.Length >= 4)
                {
                    input[random.Next(2) == 0 ? 3 : 0] = (byte)random.Next(256);
                    input[2] = (byte)random.Next(3);
                }
                return input;
            case 3: // splice with another seed
                var other = corpus[random.Next(corpus.Length)];
                return [.. input[..random.Next(input.Length + 1)], .. other[random.Next(other.Length + 1)..]];
            default: // random bytes after a plausible first byte
                var bytes = new byte[random.Next(0, 96)];
                random.NextBytes(bytes);
                if (bytes.Length > 1)
                {
                    bytes[0] = (byte)(0x80 | (bytes[0] & 0x3F));
                    bytes[1] = (byte)random.Next(200, 207);
                }
                return bytes;
        }
    }

    [Fact]
    public void Twenty_thousand_random_and_mutated_compounds_never_throw()
    {
        var random = new Random(4585);
        var corpus = SeedCorpus();
        var packets = 0;
        var malformed = 0;
        var kinds = new HashSet<RtcpPacketKind>();
        var lost = new List<ushort>();
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 4 == 0)
            {
                input = new byte[random.Next(0, 128)];
                random.NextBytes(input);
            }
            else
            {
                input = Mutate(random, corpus);
            }

            var reader = new RtcpCompoundReader(input);
            while (reader.TryReadNext(out var packet))
            {
                packets++;
                kinds.Add(packet.Kind);
                // Touch every accessor: none may throw on a packet TryParse accepted.
                _ = packet.SenderSsrc;
                _ = packet.MediaSsrc;
                _ = packet.FeedbackControlInformation.Length;
                packet.TryGetSenderReport(out _);
                foreach (var block in packet.ReportBlocks) _ = block.Jitter;
                foreach (var entry in packet.FirEntries) _ = entry.Ssrc;
                foreach (var ssrc in packet.GoodbyeSsrcs) _ = ssrc;
                lost.Clear();
                packet.AddLostSequenceNumbersTo(lost);
                Assert.True(lost.Count <= 17 * packet.Body.Length / 4);
            }
            if (reader.IsMalformed) malformed++;
        }
        // Both outcomes were exercised, across many kinds.
        Assert.True(packets > 5_000, $"{packets} packets parsed");
        Assert.True(malformed > 5_000, $"{malformed} malformed");
        Assert.True(kinds.Count >= 10, string.Join(", ", kinds));
    }
}
