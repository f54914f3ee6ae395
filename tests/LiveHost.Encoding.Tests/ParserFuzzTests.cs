using System.Buffers;
using LiveHost.TestSupport;
using LiveHost.Encoding.Flv;

namespace LiveHost.Encoding.Tests;

/// <summary>
/// Random and mutated inputs for the FLV parsers of the encoder's ffmpeg output path (the codec parsers are fuzzed in
/// LiveHost.Media.Tests): each may only answer with its documented
/// failure result (false, IsMalformed, Error), never an exception, and never consume more than it was given.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Iterations = 12_000;

    [Fact]
    public void FlvTagReaderSurvivesRandomAndMutatedStreams()
    {
        var random = new Random(20_241_125);
        var seed = FlvTagReaderTests.FileHeader()
            .Concat(FlvTagReaderTests.Tag(18, 0, [2, 0, 10, 0x6F, 0x6E]))
            .Concat(FlvTagReaderTests.Tag(9, 0, [0x17, 0, 0, 0, 0, 1, 66, 0xC0, 30, 0xFF, 0xE1, 0, 2, 0x67, 0x42, 1, 0, 2, 0x68, 0xCE]))
            .Concat(FlvTagReaderTests.Tag(9, 40, [0x17, 1, 0, 0, 0, 0, 0, 0, 2, 0x65, 0x88]))
            .ToArray();
        var tags = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var data = i % 3 == 0 ? FuzzInput.RandomBytes(random, 200) : FuzzInput.Mutate(random, seed);
            if (i % 3 == 0 && data.Length >= 3 && random.Next(2) == 0) "FLV"u8.CopyTo(data);
            var buffer = FuzzInput.Segmented(random, data);
            var reader = new FlvTagReader();
            var guard = 0;
            while (reader.TryRead(ref buffer, out var tag))
            {
                tags++;
                Assert.True(tag.Data.Length <= data.Length);
                if (tag.Type == FlvTagType.Video && tag.Data.Length >= 5)
                {
                    if (FlvVideoTagHeader.TryParse(tag.Data.Slice(0, 5).ToArray(), out _, out var consumed)) Assert.Equal(FlvVideoTagHeader.Length, consumed);
                }
                Assert.True(++guard < 1000, "reader made no progress");
            }
            Assert.True(buffer.Length <= data.Length);
        }
        Assert.True(tags > 0, "the mutations never produced a readable tag, so the fuzz only exercised rejection");
    }
}
