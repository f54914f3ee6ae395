using LiveHost.Media.Codecs;
using FuzzInput = LiveHost.TestSupport.FuzzInput;

namespace LiveHost.Media.Tests.Codecs;

/// <summary>
/// Random and mutated inputs for every bitstream parser: each may only answer with its documented failure result
/// (false, IsMalformed, Error), never an exception, and never consume more than it was given.
/// </summary>
public sealed class CodecParserFuzzTests
{
    private const int Iterations = 12_000;

    [Fact]
    public void AvccNalReaderSurvivesRandomAndMutatedAccessUnits()
    {
        var random = new Random(7);
        byte[] seed = [0, 0, 0, 2, 0x09, 0xF0, 0, 0, 0, 5, 0x06, 5, 1, 2, 0x80, 0, 0, 0, 3, 0x65, 0x88, 0x84];
        var wellFormed = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var data = i % 2 == 0 ? FuzzInput.RandomBytes(random, 64) : FuzzInput.Mutate(random, seed);
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
            var data = i % 3 == 0 ? FuzzInput.RandomBytes(random, 64) : FuzzInput.Mutate(random, seed);
            if (i % 3 == 0 && data.Length >= 2 && random.Next(2) == 0)
            {
                data[0] = 0xFF;
                data[1] = (byte)(0xF0 | random.Next(16));
            }
            var buffer = FuzzInput.Segmented(random, data);
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
                0 => [0x67, .. FuzzInput.RandomBytes(random, 40)],
                1 => FuzzInput.Mutate(random, spsWithCrop),
                _ => FuzzInput.Mutate(random, sps),
            };
            if (H264SequenceParameterSet.TryParse(spsInput, out var result))
            {
                parsed++;
                Assert.True(result.Width > 0 && result.Height > 0);
            }

            var recordInput = i % 2 == 0 ? FuzzInput.RandomBytes(random, 48) : FuzzInput.Mutate(random, record);
            if (AvcDecoderConfiguration.TryParse(recordInput, out var configuration))
            {
                Assert.NotNull(configuration);
                Assert.True(H264Nal.IsSps(configuration.Sps) && H264Nal.IsPps(configuration.Pps));
            }
        }
        Assert.True(parsed > 0);
    }
}
