using Xunit;

namespace LiveHost.Rtmp.Tests;

/// <summary>Chunk header layouts from RTMP 1.0 section 5.3.1, computed by hand.</summary>
public sealed class RtmpChunkHeaderTests
{
    private static byte[] Encode(RtmpChunkHeader header)
    {
        var buffer = new byte[RtmpChunkHeader.MaxSize];
        var written = header.WriteTo(buffer);
        Assert.Equal(header.GetSize(), written);
        return buffer[..written];
    }

    [Fact]
    public void Fmt0_has_timestamp_length_type_and_little_endian_stream_id()
    {
        var bytes = Encode(new RtmpChunkHeader(0, 3, 0x010203, 0x000456, 20, 1));
        Assert.Equal(new byte[] { 0x03, 0x01, 0x02, 0x03, 0x00, 0x04, 0x56, 0x14, 0x01, 0x00, 0x00, 0x00 }, bytes);
    }

    [Fact]
    public void Fmt1_has_delta_length_and_type_but_no_stream_id()
    {
        var bytes = Encode(new RtmpChunkHeader(1, 6, 40, 1000, 9, 1));
        Assert.Equal(new byte[] { 0x46, 0x00, 0x00, 0x28, 0x00, 0x03, 0xE8, 0x09 }, bytes);
    }

    [Fact]
    public void Fmt3_is_the_basic_header_alone()
    {
        Assert.Equal(new byte[] { 0xC4 }, Encode(new RtmpChunkHeader(3, 4, 123, 10, 8, 1)));
    }

    [Fact]
    public void Timestamp_of_0xFFFFFF_or_more_moves_to_the_extended_field()
    {
        var bytes = Encode(new RtmpChunkHeader(0, 4, 0x01000000, 2, 8, 1));
        Assert.Equal(
            new byte[] { 0x04, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x08, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 },
            bytes);
        // A continuation chunk of that message repeats the extended timestamp.
        Assert.Equal(new byte[] { 0xC4, 0x01, 0x00, 0x00, 0x00 }, Encode(new RtmpChunkHeader(3, 4, 0x01000000, 2, 8, 1)));
        // Exactly 0xFFFFFF is extended too (the 3-byte field cannot hold it unambiguously).
        Assert.Equal(8 + 4, Encode(new RtmpChunkHeader(1, 4, 0xFFFFFF, 2, 8, 1)).Length);
        Assert.Equal(8, Encode(new RtmpChunkHeader(1, 4, 0xFFFFFE, 2, 8, 1)).Length);
    }

    [Theory]
    [InlineData(64, new byte[] { 0x00, 0x00 })]
    [InlineData(319, new byte[] { 0x40, 0xFF })]
    [InlineData(320, new byte[] { 0xC1, 0x00, 0x01 })]
    [InlineData(65599, new byte[] { 0xC1, 0xFF, 0xFF })]
    public void Large_chunk_stream_ids_use_two_and_three_byte_basic_headers(int chunkStreamId, byte[] expected)
    {
        var format = expected[0] >> 6;
        var bytes = Encode(new RtmpChunkHeader((byte)format, chunkStreamId, 0, 0, 8, 0));
        Assert.Equal(expected, bytes[..expected.Length]);
    }
}
