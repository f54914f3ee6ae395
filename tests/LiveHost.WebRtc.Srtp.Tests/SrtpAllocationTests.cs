using System.Diagnostics;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>
/// The per-packet paths allocate nothing after warm-up (GC.GetAllocatedBytesForCurrentThread), and an
/// informational ns/packet figure for 1200-octet RTP packets.
/// </summary>
public sealed class SrtpAllocationTests(ITestOutputHelper output)
{
    private const int Packets = 10_000;
    private const int PayloadLength = 1200 - 12;

    /// <summary>Less than this over a run cannot be one allocation per packet, nor per hundred packets.</summary>
    private const long PerPacketFloor = Packets / 100 * 24;

    public static TheoryData<SrtpProfile> Profiles => new(TestPackets.Profiles);

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Protecting_10000_rtp_packets_of_1200_octets_allocates_nothing(SrtpProfile profile)
    {
        var (sender, _) = TestPackets.Pair(profile);
        using (sender)
        {
            byte[] template = TestPackets.Rtp(0, 0x1234, PayloadLength);
            byte[] buffer = new byte[template.Length + sender.RtpOverhead];
            ushort seq = 0;
            void ProtectOne()
            {
                template.CopyTo(buffer, 0);
                buffer[2] = (byte)(seq >> 8);
                buffer[3] = (byte)seq;
                seq++;
                sender.ProtectRtp(buffer, template.Length);
            }

            for (int i = 0; i < 200; i++)
            {
                ProtectOne();
            }

            using var process = Process.GetCurrentProcess();
            TimeSpan cpuBefore = process.TotalProcessorTime;
            long before = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < Packets; i++)
            {
                ProtectOne();
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            process.Refresh();
            TimeSpan cpu = process.TotalProcessorTime - cpuBefore;

            // Wall time suffers on a shared, loaded machine; process CPU time is the steadier figure (it also
            // counts whatever other test threads ran meanwhile, so it is an upper bound).
            output.WriteLine(
                $"{profile}: ProtectRtp 1200 B: wall {elapsed.TotalNanoseconds / Packets:F0} ns/packet, process CPU {cpu.TotalNanoseconds / Packets:F0} ns/packet (incl. 1200 B copy), {allocated} B allocated");
            // Per packet means at least 24 B (the smallest object) times 10 000; a one-off runtime allocation on this
            // thread (tier-up, a lazily built cache) once in a run is not the send path's and is allowed.
            Assert.True(allocated < PerPacketFloor, $"{allocated} B allocated over {Packets} packets");
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Unprotecting_10000_rtp_packets_of_1200_octets_allocates_nothing(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[][] wire = new byte[Packets + 200][];
            for (int i = 0; i < wire.Length; i++)
            {
                byte[] buffer = TestPackets.WithRoom(TestPackets.Rtp((ushort)i, 0x1234, PayloadLength, seed: 1), sender.RtpOverhead);
                wire[i] = buffer[..sender.ProtectRtp(buffer, buffer.Length - sender.RtpOverhead)];
            }

            for (int i = 0; i < 200; i++)
            {
                Assert.True(receiver.TryUnprotectRtp(wire[i], wire[i].Length, out _));
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            int accepted = 0;
            for (int i = 200; i < wire.Length; i++)
            {
                accepted += receiver.TryUnprotectRtp(wire[i], wire[i].Length, out _) ? 1 : 0;
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            output.WriteLine($"{profile}: TryUnprotectRtp 1200 B: {elapsed.TotalNanoseconds / Packets:F0} ns/packet, {allocated} B allocated");
            Assert.Equal(Packets, accepted);
            // Per packet means at least 24 B (the smallest object) times 10 000; a one-off runtime allocation on this
            // thread (tier-up, a lazily built cache) once in a run is not the send path's and is allowed.
            Assert.True(allocated < PerPacketFloor, $"{allocated} B allocated over {Packets} packets");
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Protecting_and_unprotecting_10000_rtcp_packets_allocates_nothing(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] plain = TestPackets.Rtcp(0x5555, 80);
            byte[][] wire = new byte[Packets + 100][];
            for (int i = 0; i < 100; i++)
            {
                wire[i] = ProtectRtcp(sender, plain);
            }

            byte[] buffer = new byte[plain.Length + sender.RtcpOverhead];
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Packets; i++)
            {
                plain.CopyTo(buffer, 0);
                sender.ProtectRtcp(buffer, plain.Length);
            }

            long protectAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // Fresh pairs of the same key: replay-protected indices 1.. for unprotect.
            var (sender2, receiver2) = TestPackets.Pair(profile);
            using (sender2)
            using (receiver2)
            {
                for (int i = 0; i < wire.Length; i++)
                {
                    wire[i] = ProtectRtcp(sender2, plain);
                }

                for (int i = 0; i < 100; i++)
                {
                    Assert.True(receiver2.TryUnprotectRtcp(wire[i], wire[i].Length, out _));
                }

                before = GC.GetAllocatedBytesForCurrentThread();
                int accepted = 0;
                for (int i = 100; i < wire.Length; i++)
                {
                    accepted += receiver2.TryUnprotectRtcp(wire[i], wire[i].Length, out _) ? 1 : 0;
                }

                long unprotectAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
                output.WriteLine($"{profile}: ProtectRtcp {protectAllocated} B, TryUnprotectRtcp {unprotectAllocated} B allocated");
                Assert.Equal(Packets, accepted);
                Assert.Equal(0, protectAllocated);
                Assert.Equal(0, unprotectAllocated);
            }
        }
    }

    [Fact]
    public void Hmac_sha1_one_shot_and_incremental_allocation_is_reported()
    {
        // Informational: why the AES-CM transform keeps an IncrementalHash rather than calling HMACSHA1.HashData.
        byte[] key = new byte[20];
        byte[] data = new byte[1204];
        byte[] digest = new byte[20];
        using var incremental = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
#pragma warning disable CA5350 // HMAC-SHA1 is what RFC 3711 mandates for this profile.
        for (int i = 0; i < 100; i++)
        {
            HMACSHA1.HashData(key, data, digest);
            incremental.AppendData(data);
            incremental.TryGetHashAndReset(digest, out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < Packets; i++)
        {
            HMACSHA1.HashData(key, data, digest);
        }

#pragma warning restore CA5350
        TimeSpan oneShotTime = Stopwatch.GetElapsedTime(started);
        long oneShot = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        started = Stopwatch.GetTimestamp();
        for (int i = 0; i < Packets; i++)
        {
            incremental.AppendData(data);
            incremental.TryGetHashAndReset(digest, out _);
        }

        TimeSpan incrementalTime = Stopwatch.GetElapsedTime(started);
        long reused = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"HMACSHA1.HashData: {oneShot} B, {oneShotTime.TotalNanoseconds / Packets:F0} ns; IncrementalHash reused: {reused} B, {incrementalTime.TotalNanoseconds / Packets:F0} ns");
        Assert.Equal(0, reused);
    }

    private static byte[] ProtectRtcp(SrtpContext sender, byte[] plain)
    {
        byte[] buffer = TestPackets.WithRoom(plain, sender.RtcpOverhead);
        return buffer[..sender.ProtectRtcp(buffer, plain.Length)];
    }
}
