using System.Buffers;
using System.Buffers.Binary;
using LiveHost.Encoding.Flv;
using LiveHost.TestSupport;

namespace LiveHost.Encoding.Tests;

public sealed class FlvTagReaderTests
{
    internal static byte[] FileHeader() => [(byte)'F', (byte)'L', (byte)'V', 1, 0x01, 0, 0, 0, 9, 0, 0, 0, 0];

    internal static byte[] Tag(byte type, uint timestampMs, byte[] data)
    {
        var tag = new byte[11 + data.Length + 4];
        tag[0] = type;
        tag[1] = (byte)(data.Length >> 16);
        tag[2] = (byte)(data.Length >> 8);
        tag[3] = (byte)data.Length;
        tag[4] = (byte)(timestampMs >> 16);
        tag[5] = (byte)(timestampMs >> 8);
        tag[6] = (byte)timestampMs;
        tag[7] = (byte)(timestampMs >> 24);
        data.CopyTo(tag, 11);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(11 + data.Length), (uint)(11 + data.Length));
        return tag;
    }

    [Fact]
    public void ReadsTagsAfterSkippingTheFileHeader()
    {
        var stream = FileHeader().Concat(Tag(18, 0, [1, 2, 3])).Concat(Tag(9, 0x01020304, [0x17, 1, 0, 0, 0, 9])).ToArray();
        var buffer = new ReadOnlySequence<byte>(stream);
        var reader = new FlvTagReader();

        Assert.True(reader.TryRead(ref buffer, out var script));
        Assert.Equal(FlvTagType.Script, script.Type);
        Assert.Equal(new byte[] { 1, 2, 3 }, script.Data.ToArray());

        Assert.True(reader.TryRead(ref buffer, out var video));
        Assert.Equal(FlvTagType.Video, video.Type);
        Assert.Equal(0x01020304u, video.TimestampMs);
        Assert.Equal(new byte[] { 0x17, 1, 0, 0, 0, 9 }, video.Data.ToArray());

        Assert.False(reader.TryRead(ref buffer, out _));
        Assert.True(buffer.IsEmpty);
        Assert.Null(reader.Error);
    }

    [Fact]
    public void WaitsForMoreBytesWithoutConsumingAPartialTag()
    {
        var stream = FileHeader().Concat(Tag(9, 40, new byte[100])).ToArray();
        var reader = new FlvTagReader();
        for (var cut = 0; cut < stream.Length; cut++)
        {
            var partial = new ReadOnlySequence<byte>(stream, 0, cut);
            var before = partial.Length;
            var fresh = new FlvTagReader();
            Assert.False(fresh.TryRead(ref partial, out _));
            Assert.Null(fresh.Error);
            Assert.True(partial.Length is 0 || partial.Length == before || partial.Length == before - 13);
        }
        var whole = new ReadOnlySequence<byte>(stream);
        Assert.True(reader.TryRead(ref whole, out var tag));
        Assert.Equal(100, tag.Data.Length);
    }

    [Fact]
    public void ReadsATagSplitAcrossSegments()
    {
        var stream = FileHeader().Concat(Tag(9, 7, Enumerable.Range(0, 50).Select(i => (byte)i).ToArray())).ToArray();
        var buffer = SegmentedSequence.Split(stream, 1, 5, 14, 20, 33);
        var reader = new FlvTagReader();
        Assert.True(reader.TryRead(ref buffer, out var tag));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)i).ToArray(), tag.Data.ToArray());
    }

    [Fact]
    public void RejectsAStreamWithoutTheFlvSignature()
    {
        var stream = FileHeader();
        stream[0] = (byte)'X';
        var buffer = new ReadOnlySequence<byte>(stream);
        var reader = new FlvTagReader();
        Assert.False(reader.TryRead(ref buffer, out _));
        Assert.NotNull(reader.Error);
    }

    [Fact]
    public void RejectsAPreviousTagSizeThatDoesNotMatch()
    {
        var tag = Tag(9, 0, [1, 2, 3, 4, 5]);
        tag[^1] ^= 0x01;
        var buffer = new ReadOnlySequence<byte>(FileHeader().Concat(tag).ToArray());
        var reader = new FlvTagReader();
        Assert.False(reader.TryRead(ref buffer, out _));
        Assert.Contains("PreviousTagSize", reader.Error);
    }

    [Fact]
    public void ParsesTheAvcVideoTagHeader()
    {
        Assert.True(FlvVideoTagHeader.TryParse([0x17, 0x01, 0xFF, 0xFF, 0xFE, 0x65], out var header, out var consumed));
        Assert.Equal(5, consumed);
        Assert.True(header.IsKeyframe);
        Assert.Equal(AvcPacketType.Nalu, header.PacketType);
        Assert.Equal(-2, header.CompositionTimeMs);

        Assert.True(FlvVideoTagHeader.TryParse([0x27, 0x00, 0, 0, 0], out var inter, out _));
        Assert.False(inter.IsKeyframe);
        Assert.Equal(AvcPacketType.SequenceHeader, inter.PacketType);

        Assert.False(FlvVideoTagHeader.TryParse([0x12, 0x01, 0, 0, 0], out _, out _)); // codec 2 is Sorenson, not AVC
        Assert.False(FlvVideoTagHeader.TryParse([0x17, 0x01, 0], out _, out _));
    }
}
