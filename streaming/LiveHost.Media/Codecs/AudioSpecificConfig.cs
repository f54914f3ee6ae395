namespace LiveHost.Media.Codecs;

/// <summary>
/// The two-byte MPEG-4 AudioSpecificConfig (ISO 14496-3 1.6.2.1) for plain AAC:
/// <code>
/// audioObjectType(5) | samplingFrequencyIndex(4) | channelConfiguration(4) | frameLength 0 | dependsOnCore 0 | extension 0
/// </code>
/// AAC LC, 48 kHz, mono is 0x11 0x88.
/// </summary>
public static class AudioSpecificConfig
{
    public const int Length = 2;

    private static readonly int[] SampleRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>The sample rate of an index, or 0 for a reserved one.</summary>
    public static int SampleRateOf(int samplingFrequencyIndex) =>
        (uint)samplingFrequencyIndex < (uint)SampleRates.Length ? SampleRates[samplingFrequencyIndex] : 0;

    /// <summary>The index of a sample rate, or -1 when it has none.</summary>
    public static int FrequencyIndexOf(int sampleRate) => Array.IndexOf(SampleRates, sampleRate);

    public static int WriteTo(Span<byte> destination, int audioObjectType, int samplingFrequencyIndex, int channelConfiguration)
    {
        if (audioObjectType is < 1 or > 30) throw new ArgumentOutOfRangeException(nameof(audioObjectType));
        if (samplingFrequencyIndex is < 0 or > 12) throw new ArgumentOutOfRangeException(nameof(samplingFrequencyIndex));
        if (channelConfiguration is < 0 or > 7) throw new ArgumentOutOfRangeException(nameof(channelConfiguration));
        destination[0] = (byte)((audioObjectType << 3) | (samplingFrequencyIndex >> 1));
        destination[1] = (byte)(((samplingFrequencyIndex & 1) << 7) | (channelConfiguration << 3));
        return Length;
    }

    public static byte[] FromAdts(AdtsHeader header)
    {
        var config = new byte[Length];
        WriteTo(config, header.AudioObjectType, header.SamplingFrequencyIndex, header.ChannelConfiguration);
        return config;
    }
}
