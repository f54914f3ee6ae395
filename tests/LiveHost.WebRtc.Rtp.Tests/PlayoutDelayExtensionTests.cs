using LiveHost.WebRtc.Rtp.Extensions;

namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class PlayoutDelayExtensionTests
{
    [Theory]
    [InlineData(0, 0, new byte[] { 0x00, 0x00, 0x00 })]
    [InlineData(0, 40, new byte[] { 0x00, 0x00, 0x04 })]
    [InlineData(100, 4000, new byte[] { 0x00, 0xA1, 0x90 })]
    [InlineData(40950, 40950, new byte[] { 0xFF, 0xFF, 0xFF })]
    public void Writes_min_and_max_as_two_12_bit_fields_in_10_ms_units(int minMs, int maxMs, byte[] expected)
    {
        var bytes = new byte[PlayoutDelay.DataSize];
        new PlayoutDelay(minMs, maxMs).WriteTo(bytes);
        Assert.Equal(expected, bytes);
        Assert.True(PlayoutDelay.TryRead(bytes, out var read));
        Assert.Equal(new PlayoutDelay(minMs, maxMs), read);
    }

    [Theory]
    [InlineData(-10, 0, "0 to 40950")]
    [InlineData(0, 40960, "0 to 40950")]
    [InlineData(0, 45, "multiples of 10")]
    [InlineData(50, 40, "must not exceed")]
    public void Refuses_bounds_the_extension_cannot_carry(int minMs, int maxMs, string message)
    {
        Assert.Contains(message, PlayoutDelay.Validate(minMs, maxMs), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlayoutDelay(minMs, maxMs));
    }

    [Fact]
    public void Inserts_a_one_byte_element_between_header_and_payload_and_sets_the_x_bit()
    {
        var header = new RtpHeader { Marker = true, PayloadType = 96, SequenceNumber = 0x1234, Timestamp = 0x01020304, Ssrc = 0xDEADBEEF };
        var packet = new byte[64];
        var length = header.WriteTo(packet);
        byte[] payload = [0x7C, 0x85, 1, 2, 3];
        payload.CopyTo(packet.AsSpan(length));
        length += payload.Length;

        var data = new byte[PlayoutDelay.DataSize];
        new PlayoutDelay(0, 40).WriteTo(data);
        var newLength = OneByteHeaderExtension.TryInsert(packet, length, id: 5, data);

        // RFC 8285 §4.2: 0xBEDE, length 1 word; element ID 5, L = 3 - 1 = 2; three data bytes fill the word exactly.
        Assert.Equal(length + 8, newLength);
        Assert.Equal(
            new byte[] { 0x90, 0x80 | 96, 0x12, 0x34, 1, 2, 3, 4, 0xDE, 0xAD, 0xBE, 0xEF, 0xBE, 0xDE, 0x00, 0x01, 0x52, 0x00, 0x00, 0x04, 0x7C, 0x85, 1, 2, 3 },
            packet.AsSpan(0, newLength).ToArray());
        Assert.True(RtpHeader.TryParsePacket(packet.AsSpan(0, newLength), out var parsed, out var parsedPayload));
        Assert.Equal(0x1234, parsed.SequenceNumber);
        Assert.Equal(payload, parsedPayload.ToArray());
        Assert.True(OneByteHeaderExtension.TryFind(packet.AsSpan(0, newLength), 5, out var found));
        Assert.True(PlayoutDelay.TryRead(found, out var delay));
        Assert.Equal(new PlayoutDelay(0, 40), delay);
        Assert.False(OneByteHeaderExtension.TryFind(packet.AsSpan(0, newLength), 6, out _));
    }

    [Fact]
    public void Pads_the_block_to_whole_words_and_keeps_csrcs_before_it()
    {
        var header = new RtpHeader { PayloadType = 111, SequenceNumber = 1, Timestamp = 2, Ssrc = 3 };
        header.SetCsrcs([0xA1A2A3A4u]);
        var packet = new byte[64];
        var length = header.WriteTo(packet);
        packet[length++] = 0xEE;

        var newLength = OneByteHeaderExtension.TryInsert(packet, length, id: 14, [0x42]);

        Assert.Equal(length + 8, newLength);
        Assert.Equal(new byte[] { 0xA1, 0xA2, 0xA3, 0xA4, 0xBE, 0xDE, 0x00, 0x01, 0xE0, 0x42, 0x00, 0x00, 0xEE }, packet.AsSpan(12, newLength - 12).ToArray());
        Assert.True(OneByteHeaderExtension.TryFind(packet.AsSpan(0, newLength), 14, out var found));
        Assert.Equal(new byte[] { 0x42 }, found.ToArray());
    }

    [Fact]
    public void Leaves_a_packet_that_already_has_an_extension_or_lacks_room_untouched()
    {
        var withExtension = new RtpHeader { Extension = true, ExtensionProfile = 0xBEDE, ExtensionLength = 4, PayloadType = 96, Ssrc = 1 };
        var packet = new byte[64];
        var length = withExtension.WriteTo(packet);
        var before = packet.ToArray();
        Assert.Equal(-1, OneByteHeaderExtension.TryInsert(packet, length, 3, [0, 0, 0]));
        Assert.Equal(before, packet);

        var tight = new byte[20];
        var plainLength = new RtpHeader { PayloadType = 96, Ssrc = 1 }.WriteTo(tight) + 5;
        var tightBefore = tight.ToArray();
        Assert.Equal(-1, OneByteHeaderExtension.TryInsert(tight, plainLength, 3, [0, 0, 0]));
        Assert.Equal(tightBefore, tight);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void Refuses_ids_outside_1_to_14(int id) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OneByteHeaderExtension.TryInsert(new byte[64], 12, id, [0]));
}
