using System.Buffers;
using LiveHost.Encoding.Codecs;
using LiveHost.Encoding.Flv;

namespace LiveHost.Encoding.Tests;

/// <summary>
/// Random and mutated inputs for every parser in the encoder's output path: each may only answer with its documented
/// failure result (false, IsMalformed, Error), never an exception, and never consume more than it was given.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Iterations = 12_000;

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = seed.ToArray();
        switch (random.Next(4))
        {
            case 0: // flip bytes
                for (var i = 0; i < 1 + random.Next(4) && data.Length > 0; i++) data[random.Next(data.Length)] = (byte)random.Next(256);
                return data;
            case 1: // truncate
                return data[..random.Next(data.Length + 1)];
            case 2: // flip bits
                for (var i = 0; i < 1 + random.Next(8) && data.Length > 0; i++) data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                return data;
            default: // splice random bytes in
                var extra = new byte[random.Next(1, 16)];
                random.NextBytes(extra);
                var at = random.Next(data.Length + 1);
                return [.. data[..at], .. extra, .. data[at..]];
        }
    }

    private static byte[] RandomBytes(Random random, int maxLength)
    {
        var data = new byte[random.Next(maxLength)];
        random.NextBytes(data);
        return data;
    }

    private static ReadOnlySequence<byte> RandomlySegmented(Random random, byte[] data)
    {
        var cuts = Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(Math.Max(1, data.Length))).ToArray();
        return SegmentedSequence.Split(data, cuts);
    }

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
            var data = i % 3 == 0 ? RandomBytes(random, 200) : Mutate(random, seed);
            if (i % 3 == 0 && data.Length >= 3 && random.Next(2) == 0) "FLV"u8.CopyTo(data);
            var buffer = RandomlySegmented(random, data);
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

    [Fact]
    public void AvccNalReaderSurvivesRandomAndMutatedAccessUnits()
    {
        var random = new Random(7);
        byte[] seed = [0, 0, 0, 2, 0x09, 0xF0, 0, 0, 0, 5, 0x06, 5, 1, 2, 0x80, 0, 0, 0, 3, 0x65, 0x88, 0x84];
        var wellFormed = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var data = i % 2 == 0 ? RandomBytes(random, 64) : Mutate(random, seed);
            var lengthSize = i % 5 == 0 ? 2 : 4;
            var reader = new AvccNalReader(data, lengthSize);
            var total = 0;
            while (reader.MoveNext())
            {
                Assert.False(reader.Current.IsEmpty);
                total += reader.Current.Length + lengthSize;
            }
            Assert.True(total <= data.Length);
            if (!reader.IsMalformed) Assert.Equal(data.Length, total);
            if (AvccNalReader.TryInspect(data, out _, lengthSize)) wellFormed++;
        }
        Assert.True(wellFormed > 0);
    }

    [Fact]
    public void AdtsReaderSurvivesRandomAndMutatedStreams()
    {
        var random = new Random(48_000);
        var seed = AdtsReaderTests.Frame([1, 2, 3, 4]).Concat(AdtsReaderTests.Frame([5, 6])).Concat(AdtsReaderTests.Frame([7])).ToArray();
        var frames = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var data = i % 3 == 0 ? RandomBytes(random, 64) : Mutate(random, seed);
            if (i % 3 == 0 && data.Length >= 2 && random.Next(2) == 0)
            {
                data[0] = 0xFF;
                data[1] = (byte)(0xF0 | random.Next(16));
            }
            var buffer = RandomlySegmented(random, data);
            var reader = new AdtsReader();
            while (reader.TryRead(ref buffer, out var frame))
            {
                frames++;
                Assert.Equal(frame.Header.PayloadLength, frame.Payload.Length);
            }
            if (AdtsHeader.TryParse(data, out var header, out var consumed)) Assert.True(consumed <= data.Length && consumed == header.HeaderLength);
            else Assert.Equal(0, consumed);
        }
        Assert.True(frames > 0);
    }

    [Fact]
    public void ParameterSetParsersSurviveRandomAndMutatedInput()
    {
        var random = new Random(66);
        var sps = H264SequenceParameterSetTests.BaselineSps(20, 15);
        var spsWithCrop = H264SequenceParameterSetTests.BaselineSps(120, 68, (0, 0, 0, 4));
        byte[] record = [1, 66, 0xC0, 30, 0xFF, 0xE1, 0, (byte)sps.Length, .. sps, 1, 0, 2, 0x68, 0xCE];
        var parsed = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var spsInput = (i % 4) switch
            {
                0 => [0x67, .. RandomBytes(random, 40)],
                1 => Mutate(random, spsWithCrop),
                _ => Mutate(random, sps),
            };
            if (H264SequenceParameterSet.TryParse(spsInput, out var result))
            {
                parsed++;
                Assert.True(result.Width > 0 && result.Height > 0);
            }

            var recordInput = i % 2 == 0 ? RandomBytes(random, 48) : Mutate(random, record);
            if (AvcDecoderConfiguration.TryParse(recordInput, out var configuration))
            {
                Assert.NotNull(configuration);
                Assert.True(H264Nal.IsSps(configuration.Sps) && H264Nal.IsPps(configuration.Pps));
            }
        }
        Assert.True(parsed > 0);
    }
}
