using System.Buffers;
using LiveHost.Media.Codecs;
using SegmentedSequence = LiveHost.TestSupport.SegmentedSequence;

namespace LiveHost.Media.Tests.Codecs;

public sealed class AdtsReaderTests
{
    internal static byte[] Frame(byte[] payload, int objectType = 2, int frequencyIndex = 3, int channels = 1)
    {
        var frame = new byte[7 + payload.Length];
        AdtsHeader.WriteTo(frame, objectType, frequencyIndex, channels, payload.Length);
        payload.CopyTo(frame, 7);
        return frame;
    }

    [Fact]
    public void ParsesAHandMadeHeader()
    {
        // AAC LC (profile 1), 48 kHz (index 3), mono, frame length 7 + 5 = 12, no CRC.
        byte[] header = [0xFF, 0xF1, 0x4C, 0x40, 0x01, 0x9F, 0xFC];
        Assert.True(AdtsHeader.TryParse(header, out var parsed, out var consumed));
        Assert.Equal(7, consumed);
        Assert.Equal(2, parsed.AudioObjectType);
        Assert.Equal(48000, parsed.SampleRate);
        Assert.Equal(1, parsed.ChannelConfiguration);
        Assert.Equal(12, parsed.FrameLength);
        Assert.False(parsed.HasCrc);
        Assert.Equal(1, parsed.RawDataBlocks);
    }

    [Fact]
    public void WriteToProducesTheHeaderTryParseReads()
    {
        var frame = Frame([1, 2, 3, 4, 5]);
        Assert.Equal(new byte[] { 0xFF, 0xF1, 0x4C, 0x40, 0x01, 0x9F, 0xFC }, frame[..7]);
    }

    [Fact]
    public void SplitsAStreamIntoFramesAndStripsHeaders()
    {
        var stream = Frame([1, 2, 3]).Concat(Frame([4, 5])).Concat(Frame([6])[..5]).ToArray();
        var buffer = SegmentedSequence.Split(stream, 4, 9, 13);
        var reader = new AdtsReader();

        Assert.True(reader.TryRead(ref buffer, out var first));
        Assert.Equal(new byte[] { 1, 2, 3 }, first.Payload.ToArray());
        Assert.True(reader.TryRead(ref buffer, out var second));
        Assert.Equal(new byte[] { 4, 5 }, second.Payload.ToArray());
        Assert.False(reader.TryRead(ref buffer, out _));
        Assert.Null(reader.Error);
        Assert.Equal(5, buffer.Length);
    }

    [Fact]
    public void SkipsTheCrcOfAProtectedFrame()
    {
        var frame = Frame([9, 9, 9, 7, 7]);
        frame[1] = 0xF0; // protection_absent = 0: two CRC bytes follow the header, counted in the frame length
        var buffer = new ReadOnlySequence<byte>(frame);
        var reader = new AdtsReader();
        Assert.True(reader.TryRead(ref buffer, out var parsed));
        Assert.True(parsed.Header.HasCrc);
        Assert.Equal(new byte[] { 9, 7, 7 }, parsed.Payload.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xE1, 0x4C, 0x40, 0x01, 0x9F, 0xFC })] // broken sync word
    [InlineData(new byte[] { 0xFF, 0xF3, 0x4C, 0x40, 0x01, 0x9F, 0xFC })] // layer 1
    [InlineData(new byte[] { 0xFF, 0xF1, 0x7C, 0x40, 0x01, 0x9F, 0xFC })] // reserved frequency index 15
    [InlineData(new byte[] { 0xFF, 0xF1, 0x4C, 0x40, 0x00, 0x9F, 0xFC })] // frame length 4 < header
    public void RejectsABadHeader(byte[] header)
    {
        var buffer = new ReadOnlySequence<byte>(header.Concat(new byte[20]).ToArray());
        var reader = new AdtsReader();
        Assert.False(reader.TryRead(ref buffer, out _));
        Assert.NotNull(reader.Error);
    }

    [Fact]
    public void AudioSpecificConfigForLc48kMonoIs1188()
    {
        Span<byte> config = stackalloc byte[2];
        Assert.Equal(2, AudioSpecificConfig.WriteTo(config, 2, AudioSpecificConfig.FrequencyIndexOf(48000), 1));
        Assert.Equal(new byte[] { 0x11, 0x88 }, config.ToArray());

        Assert.True(AdtsHeader.TryParse(Frame([0]), out var header, out _));
        Assert.Equal(new byte[] { 0x11, 0x88 }, AudioSpecificConfig.FromAdts(header));
    }
}
