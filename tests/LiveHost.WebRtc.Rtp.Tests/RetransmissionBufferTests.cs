namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class RetransmissionBufferTests
{
    private static byte[] Packet(ushort sequence, int length = 100)
    {
        var packet = new byte[length];
        new RtpHeader { PayloadType = 96, SequenceNumber = sequence, Ssrc = 9 }.WriteTo(packet);
        for (var i = 12; i < length; i++) packet[i] = (byte)(sequence + i);
        return packet;
    }

    [Fact]
    public void Keeps_the_last_capacity_packets_across_sequence_wrap()
    {
        var buffer = new RetransmissionBuffer(capacity: 512);
        const ushort first = 65_300;
        for (var i = 0; i < 700; i++) Assert.True(buffer.Store(Packet(unchecked((ushort)(first + i)), 20 + i % 50)));
        var newest = unchecked((ushort)(first + 699));

        for (var back = 0; back < 512; back++)
        {
            var sequence = unchecked((ushort)(newest - back));
            Assert.True(buffer.TryGet(sequence, out var packet), $"seq {sequence}");
            Assert.Equal(Packet(sequence, 20 + (699 - back) % 50), packet.ToArray());
        }
        for (var back = 512; back < 700; back++) Assert.False(buffer.TryGet(unchecked((ushort)(newest - back)), out _));
        Assert.False(buffer.TryGet(unchecked((ushort)(newest + 1)), out _)); // not sent yet
    }

    [Fact]
    public void Stale_slot_from_long_ago_is_not_returned_after_a_jump()
    {
        var buffer = new RetransmissionBuffer(capacity: 16);
        for (ushort s = 0; s < 10; s++) buffer.Store(Packet(s));
        buffer.Store(Packet(40_000));
        Assert.True(buffer.TryGet(40_000, out _));
        Assert.False(buffer.TryGet(5, out _)); // its slot still holds it, but it is 40 000 packets old
    }

    [Fact]
    public void Empty_buffer_and_unknown_sequences_return_false_and_copy_checks_room()
    {
        var buffer = new RetransmissionBuffer();
        Assert.False(buffer.TryGet(0, out _));
        buffer.Store(Packet(1000, 300));
        var small = new byte[100];
        Assert.False(buffer.TryCopyTo(1000, small, out _));
        var large = new byte[1200];
        Assert.True(buffer.TryCopyTo(1000, large, out var length));
        Assert.Equal(Packet(1000, 300), large[..length]);
        Assert.False(buffer.TryCopyTo(999, large, out _));
        Assert.False(buffer.Store(new byte[11]));
        Assert.False(buffer.Store(new byte[1201]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    [InlineData(65_536)]
    public void Capacity_must_be_a_power_of_two_that_divides_the_sequence_space(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmissionBuffer(capacity));

    [Fact]
    public void Concurrent_store_and_copy_never_return_a_torn_packet()
    {
        var buffer = new RetransmissionBuffer(capacity: 64);
        using var readerStarted = new ManualResetEventSlim();
        var writer = Task.Run(() =>
        {
            readerStarted.Wait(TimeSpan.FromSeconds(10));
            // Cycling through 0..1999 keeps the newest 64 always within what the reader looks at.
            for (var i = 0; i < 200_000; i++) buffer.Store(Packet((ushort)(i % 2000), 400));
        });
        var copy = new byte[1200];
        var checkedPackets = 0;
        void Scan()
        {
            for (ushort s = 0; s < 2000; s++)
            {
                if (!buffer.TryCopyTo(s, copy, out var length)) continue;
                Assert.Equal(Packet(s, 400), copy[..length]);
                checkedPackets++;
            }
        }

        readerStarted.Set();
        while (!writer.IsCompleted) Scan();
        Scan(); // after the writer: the newest 64 are there whatever the scheduling was
        Assert.True(checkedPackets >= 64);
    }
}
