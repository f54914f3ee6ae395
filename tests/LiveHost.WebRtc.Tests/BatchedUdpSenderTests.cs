using System.Net;
using System.Net.Sockets;
using LiveHost.WebRtc.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.WebRtc.Tests;

public sealed class BatchedUdpSenderTests
{
    // A video frame as a viewer gets it (equal FU-A fragments, a shorter last one), then Opus packets of other sizes,
    // then a second run of equal packets: three segmented runs and single datagrams in one batch.
    private static readonly int[] FrameThenAudio = [1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 731, 160, 160, 97, 1100, 1100, 1100];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_datagram_of_a_batch_reaches_its_receiver_intact_and_in_order(bool allowSegmentation)
    {
        using var mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), NullLogger<UdpMux>.Instance, allowSegmentation);
        using var first = Receiver();
        using var second = Receiver();
        using var batch = new DatagramBatch();
        var expectedSegmented = OperatingSystem.IsLinux() && allowSegmentation;
        Assert.Equal(expectedSegmented, mux.BatchSender.UsesSegmentation);

        var toFirst = Fill(batch, FrameThenAudio, seed: 1);
        var callsBefore = mux.BatchSender.SystemCalls;
        Assert.Equal(FrameThenAudio.Length, mux.SendBatch(batch, first.LocalEndPoint!.Serialize()));
        Assert.All(Enumerable.Range(0, batch.Count), i => Assert.True(batch.WasSent(i)));
        if (OperatingSystem.IsLinux()) Assert.Equal(1, mux.BatchSender.SystemCalls - callsBefore); // one sendmmsg for the lot
        if (expectedSegmented) Assert.True(mux.BatchSender.SegmentedMessages >= 2, $"{mux.BatchSender.SegmentedMessages} segmented messages");

        batch.Clear();
        var toSecond = Fill(batch, [.. FrameThenAudio.Reverse()], seed: 2);
        Assert.Equal(FrameThenAudio.Length, mux.SendBatch(batch, second.LocalEndPoint!.Serialize()));

        AssertReceives(first, toFirst);
        AssertReceives(second, toSecond);
        Assert.Equal(0, mux.SendDrops);
    }

    [Fact]
    public void A_full_batch_of_equal_packets_arrives_whole_when_the_kernel_cuts_it()
    {
        using var mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), NullLogger<UdpMux>.Instance);
        using var receiver = Receiver();
        using var batch = new DatagramBatch();
        // 64 x 1 216 bytes is more than one segmented message may carry (65 000): two messages, one call.
        var sent = Fill(batch, [.. Enumerable.Repeat(1216, DatagramBatch.MaxDatagrams)], seed: 3);
        Assert.True(batch.IsFull);

        Assert.Equal(DatagramBatch.MaxDatagrams, mux.SendBatch(batch, receiver.LocalEndPoint!.Serialize()));

        AssertReceives(receiver, sent);
        if (mux.BatchSender.UsesSegmentation) Assert.Equal(2, mux.BatchSender.SegmentedMessages);
    }

    [Fact]
    public void A_batch_sent_after_the_port_closed_is_refused_and_counted()
    {
        var mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), NullLogger<UdpMux>.Instance);
        using var receiver = Receiver();
        using var batch = new DatagramBatch();
        Fill(batch, [1200, 1200, 500], seed: 4);
        mux.Dispose();

        Assert.Equal(0, mux.SendBatch(batch, receiver.LocalEndPoint!.Serialize()));

        Assert.All(Enumerable.Range(0, batch.Count), i => Assert.False(batch.WasSent(i)));
        Assert.Equal(3, mux.SendDrops);
    }

    [Fact]
    public void Adding_past_a_full_batch_is_refused()
    {
        using var batch = new DatagramBatch();
        for (var i = 0; i < DatagramBatch.MaxDatagrams; i++) batch.Add(100);

        Assert.Throws<InvalidOperationException>(() => batch.Add(100));
        Assert.Throws<InvalidOperationException>(() => batch.NextSlot.Length);
        Assert.Equal(DatagramBatch.MaxDatagrams, batch.Count);
    }

    private static Socket Receiver()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1024 * 1024 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Writes one datagram of each size, each with its own random bytes; returns copies of them.</summary>
    private static List<byte[]> Fill(DatagramBatch batch, int[] sizes, int seed)
    {
        var random = new Random(seed);
        var written = new List<byte[]>();
        foreach (var size in sizes)
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            bytes.CopyTo(batch.NextSlot);
            batch.Add(size, tag: written.Count);
            written.Add(bytes);
        }
        return written;
    }

    private static void AssertReceives(Socket receiver, List<byte[]> expected)
    {
        var buffer = new byte[2048];
        for (var i = 0; i < expected.Count; i++)
        {
            // Waits for the datagram itself; a generous bound only so a lost one fails rather than hangs.
            receiver.ReceiveTimeout = 30_000;
            var length = receiver.Receive(buffer);
            Assert.True(expected[i].AsSpan().SequenceEqual(buffer.AsSpan(0, length)), $"datagram {i} of {expected.Count}: {length} bytes, expected {expected[i].Length}");
        }
        receiver.ReceiveTimeout = 0;
        Assert.Equal(0, receiver.Available);
    }
}
