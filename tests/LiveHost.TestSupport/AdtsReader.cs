namespace LiveHost.TestSupport;

/// <summary>
/// Test fixture helper: splits an ADTS AAC stream into raw frames and derives the AudioSpecificConfig. Deliberately
/// independent of LiveHost.Encoding's ADTS parser: fixtures built with it serve as an oracle for that parser, and a
/// test that checks the product's parser with the same parser would prove nothing.
/// </summary>
public static class AdtsReader
{
    public sealed record AdtsStream(byte[] AudioSpecificConfig, int SampleRate, int Channels, List<byte[]> Frames);

    private static readonly int[] SampleRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    public static AdtsStream Parse(byte[] stream)
    {
        var frames = new List<byte[]>();
        byte[]? asc = null;
        var sampleRate = 0;
        var channels = 0;
        var offset = 0;
        while (offset + 7 <= stream.Length)
        {
            if (stream[offset] != 0xFF || (stream[offset + 1] & 0xF0) != 0xF0) throw new InvalidDataException($"no ADTS sync word at {offset}");
            var protectionAbsent = (stream[offset + 1] & 1) == 1;
            var profile = (stream[offset + 2] >> 6) & 3;
            var rateIndex = (stream[offset + 2] >> 2) & 0xF;
            var channelConfig = ((stream[offset + 2] & 1) << 2) | (stream[offset + 3] >> 6);
            var frameLength = ((stream[offset + 3] & 3) << 11) | (stream[offset + 4] << 3) | (stream[offset + 5] >> 5);
            var headerLength = protectionAbsent ? 7 : 9;
            if (frameLength < headerLength || offset + frameLength > stream.Length) break;
            if (asc is null)
            {
                var objectType = profile + 1;
                asc = [(byte)((objectType << 3) | (rateIndex >> 1)), (byte)(((rateIndex & 1) << 7) | (channelConfig << 3))];
                sampleRate = SampleRates[rateIndex];
                channels = channelConfig;
            }
            frames.Add(stream.AsSpan(offset + headerLength, frameLength - headerLength).ToArray());
            offset += frameLength;
        }
        if (asc is null) throw new InvalidDataException("no ADTS frames found");
        return new AdtsStream(asc, sampleRate, channels, frames);
    }
}
