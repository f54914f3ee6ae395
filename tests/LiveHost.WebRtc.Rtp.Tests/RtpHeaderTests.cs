namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class RtpHeaderTests
{
    [Fact]
    public void Writes_the_rfc3550_fixed_header_bit_for_bit()
    {
        var header = new RtpHeader { Marker = true, PayloadType = 96, SequenceNumber = 0xABCD, Timestamp = 0x01020304, Ssrc = 0xDEADBEEF };
        var buffer = new byte[12];
        Assert.Equal(12, header.WriteTo(buffer));
        Assert.Equal(new byte[] { 0x80, 0x80 | 96, 0xAB, 0xCD, 1, 2, 3, 4, 0xDE, 0xAD, 0xBE, 0xEF }, buffer);
    }

    [Fact]
    public void Round_trips_csrcs_extension_marker_and_padding()
    {
        var header = new RtpHeader { Padding = true, Extension = true, ExtensionProfile = 0xBEDE, ExtensionLength = 8, PayloadType = 111, SequenceNumber = 7, Timestamp = uint.MaxValue, Ssrc = 42 };
        header.SetCsrcs([1u, 2u, 0xFFFFFFFFu]);
        var packet = new byte[header.Size + 5 + 3];
        var written = header.WriteTo(packet);
        Assert.Equal(12 + 12 + 4 + 8, written);
        packet.AsSpan(written, 5).Fill(0x55);
        packet[^1] = 3; // three octets of padding, counted by the last

        Assert.True(RtpHeader.TryParsePacket(packet, out var parsed, out var payload));
        Assert.True(parsed.Padding);
        Assert.True(parsed.Extension);
        Assert.False(parsed.Marker);
        Assert.Equal(111, parsed.PayloadType);
        Assert.Equal(7, parsed.SequenceNumber);
        Assert.Equal(uint.MaxValue, parsed.Timestamp);
        Assert.Equal(42u, parsed.Ssrc);
        Assert.Equal(3, parsed.CsrcCount);
        Assert.Equal(0xFFFFFFFFu, parsed.GetCsrc(2));
        Assert.Equal(0xBEDE, parsed.ExtensionProfile);
        Assert.Equal(8, parsed.ExtensionLength);
        Assert.Equal(3, parsed.PaddingLength);
        Assert.Equal(5, payload.Length);
        Assert.True(payload.ToArray().All(b => b == 0x55));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0 })]                              // 11 bytes
    [InlineData(new byte[] { 0x40, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 })]                           // version 1
    [InlineData(new byte[] { 0x81, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 })]                           // CSRC missing
    [InlineData(new byte[] { 0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 1 })]         // extension body missing
    [InlineData(new byte[] { 0xA0, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9 })]                        // padding longer than payload
    [InlineData(new byte[] { 0xA0, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]                        // padding count 0
    public void Malformed_packets_are_refused(byte[] packet) => Assert.False(RtpHeader.TryParse(packet, out _, out int _));

    [Fact]
    public void Fuzzed_packets_never_throw_and_accepted_ones_are_self_consistent()
    {
        var random = new Random(3550);
        var seed = new byte[40];
        new RtpHeader { Extension = true, ExtensionProfile = 0xBEDE, ExtensionLength = 4, PayloadType = 96 }.WriteTo(seed);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 80)];
                random.NextBytes(input);
            }
            else
            {
                input = seed[..random.Next(0, seed.Length + 1)];
                for (var flips = random.Next(1, 4); flips > 0 && input.Length > 0; flips--) input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
            }
            if (RtpHeader.TryParse(input, out var header, out int consumed))
            {
                accepted++;
                Assert.Equal(header.Size, consumed);
                Assert.InRange(consumed + header.PaddingLength, 12, input.Length);
            }
        }
        Assert.True(accepted > 100);
    }
}
