namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>
/// Random and mutated packets into the unprotect paths: no exception escapes, every one is refused, and the
/// context still accepts a genuine packet afterwards (a refused packet commits no state).
/// </summary>
public sealed class SrtpFuzzTests
{
    private const int Iterations = 12_000;

    public static TheoryData<SrtpProfile> Profiles => new(TestPackets.Profiles);

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Random_and_mutated_srtp_packets_are_refused_without_throwing(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[][] corpus = SeedCorpus(sender, rtcp: false);
            var random = new Random(1234);
            byte[] scratch = new byte[2048];
            for (int i = 0; i < Iterations; i++)
            {
                int length = NextInput(random, corpus, scratch);
                Assert.False(receiver.TryUnprotectRtp(scratch.AsSpan(0, length), length, out _), $"input {i}");
                Assert.NotEqual(SrtpUnprotectResult.Success, receiver.UnprotectRtp(scratch.AsSpan(0, length), length, out _));
            }

            // The genuine packets, unmutated, still unprotect.
            foreach (byte[] genuine in corpus)
            {
                byte[] copy = (byte[])genuine.Clone();
                Assert.True(receiver.TryUnprotectRtp(copy, copy.Length, out _));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Random_and_mutated_srtcp_packets_are_refused_without_throwing(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[][] corpus = SeedCorpus(sender, rtcp: true);
            var random = new Random(5678);
            byte[] scratch = new byte[2048];
            for (int i = 0; i < Iterations; i++)
            {
                int length = NextInput(random, corpus, scratch);
                Assert.False(receiver.TryUnprotectRtcp(scratch.AsSpan(0, length), length, out _), $"input {i}");
            }

            foreach (byte[] genuine in corpus)
            {
                byte[] copy = (byte[])genuine.Clone();
                Assert.True(receiver.TryUnprotectRtcp(copy, copy.Length, out _));
            }
        }
    }

    [Fact]
    public void Lengths_outside_the_buffer_are_refused()
    {
        var (sender, receiver) = TestPackets.Pair(SrtpProfile.AeadAes128Gcm);
        using (sender)
        using (receiver)
        {
            byte[] buffer = new byte[64];
            Assert.False(receiver.TryUnprotectRtp(buffer, 65, out _));
            Assert.False(receiver.TryUnprotectRtp(buffer, -1, out _));
            Assert.False(receiver.TryUnprotectRtcp(buffer, 1000, out _));
            Assert.False(sender.TryProtectRtp(buffer, -5, out _));
            Assert.False(sender.TryProtectRtcp(buffer, 65, out _));
        }
    }

    private static byte[][] SeedCorpus(SrtpContext sender, bool rtcp)
    {
        var corpus = new List<byte[]>();
        for (int i = 0; i < 8; i++)
        {
            byte[] plain = rtcp
                ? TestPackets.Rtcp((uint)(100 + i), 28 + (8 * i), seed: i)
                : TestPackets.Rtp((ushort)(10 + i), (uint)(100 + (i % 3)), 20 * i, csrcCount: i % 3, extensionWords: i % 2);
            byte[] buffer = TestPackets.WithRoom(plain, rtcp ? sender.RtcpOverhead : sender.RtpOverhead);
            int length = rtcp ? sender.ProtectRtcp(buffer, plain.Length) : sender.ProtectRtp(buffer, plain.Length);
            corpus.Add(buffer[..length]);
        }

        return [.. corpus];
    }

    /// <summary>Fills scratch with random bytes, or a corpus packet with bit flips, truncation or garbage appended.</summary>
    private static int NextInput(Random random, byte[][] corpus, byte[] scratch)
    {
        if (random.Next(4) == 0)
        {
            int randomLength = random.Next(0, 200);
            random.NextBytes(scratch.AsSpan(0, randomLength));
            if (randomLength > 0 && random.Next(2) == 0)
            {
                scratch[0] = (byte)(0x80 | (scratch[0] & 0x3F)); // get past the version check more often
            }

            return randomLength;
        }

        byte[] seed = corpus[random.Next(corpus.Length)];
        seed.CopyTo(scratch, 0);
        int length = seed.Length;
        switch (random.Next(4))
        {
            case 0:
                length = random.Next(0, seed.Length);
                if (length == 0)
                {
                    return 0;
                }

                scratch[random.Next(length)] ^= (byte)(1 << random.Next(8));
                return length;
            case 1:
                int extra = random.Next(1, 40);
                random.NextBytes(scratch.AsSpan(length, extra));
                return length + extra;
            default:
                int flips = random.Next(1, 4);
                for (int f = 0; f < flips; f++)
                {
                    scratch[random.Next(length)] ^= (byte)(1 << random.Next(8));
                }

                if (scratch.AsSpan(0, length).SequenceEqual(seed))
                {
                    scratch[length - 1] ^= 0x01; // flips that cancelled out would leave a genuine packet
                }

                return length;
        }
    }
}
