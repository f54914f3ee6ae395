namespace LiveHost.Media.Codecs;

/// <summary>
/// An ADTS frame header (ISO 14496-3 1.A.2.2), 7 bytes, or 9 with a CRC:
/// <code>
/// AAAAAAAA AAAABCCD EEFFFFGH HHIJKLMM MMMMMMMM MMMOOOOO OOOOOOPP [RRRRRRRR RRRRRRRR]
/// A sync 0xFFF, B MPEG version, C layer (0), D protection absent, E profile (object type - 1),
/// F sampling frequency index, H channel configuration, M frame length (header included),
/// O buffer fullness, P raw data blocks - 1, R CRC.
/// </code>
/// </summary>
public readonly record struct AdtsHeader(int Profile, int SamplingFrequencyIndex, int ChannelConfiguration, int FrameLength, bool HasCrc, int RawDataBlocks)
{
    public const int MinimumLength = 7;

    public int HeaderLength => HasCrc ? 9 : 7;

    public int PayloadLength => FrameLength - HeaderLength;

    /// <summary>The MPEG-4 audio object type (2 = AAC LC).</summary>
    public int AudioObjectType => Profile + 1;

    public int SampleRate => AudioSpecificConfig.SampleRateOf(SamplingFrequencyIndex);

    /// <summary>Parses a header; <paramref name="consumed"/> is the header length. False when the bytes are not a usable header.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out AdtsHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (data.Length < MinimumLength) return false;
        if (data[0] != 0xFF || (data[1] & 0xF0) != 0xF0) return false;
        if ((data[1] & 0x06) != 0) return false; // layer is always 0
        var hasCrc = (data[1] & 0x01) == 0;
        var profile = data[2] >> 6;
        var frequencyIndex = (data[2] >> 2) & 0x0F;
        if (frequencyIndex > 12) return false;
        var channels = ((data[2] & 0x01) << 2) | (data[3] >> 6);
        var frameLength = ((data[3] & 0x03) << 11) | (data[4] << 3) | (data[5] >> 5);
        var rawDataBlocks = (data[6] & 0x03) + 1;
        var headerLength = hasCrc ? 9 : 7;
        if (frameLength < headerLength) return false;
        if (hasCrc && data.Length < 9) return false;

        header = new AdtsHeader(profile, frequencyIndex, channels, frameLength, hasCrc, rawDataBlocks);
        consumed = headerLength;
        return true;
    }

    /// <summary>Writes a 7-byte header (no CRC) for one raw data block of <paramref name="payloadLength"/> bytes.</summary>
    public static int WriteTo(Span<byte> destination, int audioObjectType, int samplingFrequencyIndex, int channelConfiguration, int payloadLength)
    {
        var frameLength = payloadLength + 7;
        if (frameLength > 0x1FFF) throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "an ADTS frame holds at most 8191 bytes");
        var profile = audioObjectType - 1;
        destination[0] = 0xFF;
        destination[1] = 0xF1; // MPEG-4, layer 0, no CRC
        destination[2] = (byte)((profile << 6) | (samplingFrequencyIndex << 2) | (channelConfiguration >> 2));
        destination[3] = (byte)(((channelConfiguration & 0x3) << 6) | (frameLength >> 11));
        destination[4] = (byte)(frameLength >> 3);
        destination[5] = (byte)(((frameLength & 0x7) << 5) | 0x1F); // buffer fullness 0x7FF: variable rate
        destination[6] = 0xFC;
        return 7;
    }
}
