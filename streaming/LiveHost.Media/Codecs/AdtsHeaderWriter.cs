namespace LiveHost.Media.Codecs;

/// <summary>
/// The 7-byte ADTS header (ISO 14496-3 1.A.2.2, no CRC) that MPEG-TS stream_type 0x0F carries before each raw AAC frame,
/// built from the room's AudioSpecificConfig (object type, sampling frequency index, channel configuration).
/// <code>
/// syncword 0xFFF | ID 0 | layer 00 | protection_absent 1 | profile (object type - 1):2 | sf_index:4 | private 0 |
/// channel_config:3 | original 0 | home 0 | copyright bits 00 | frame_length:13 (header included) | fullness 0x7FF:11 | blocks-1 = 0:2
/// </code>
/// </summary>
public static class AdtsHeaderWriter
{
    public const int Size = 7;

    /// <summary>The longest frame ADTS can describe: 13 bits of frame_length, header included.</summary>
    public const int MaxFrameLength = 8191 - Size;

    public static void Write(Span<byte> header, AacConfig config, int rawFrameLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rawFrameLength, MaxFrameLength);
        var asc = config.AudioSpecificConfig;
        if (asc.Length < 2) throw new ArgumentException("AudioSpecificConfig is shorter than 2 bytes", nameof(config));
        var objectType = asc[0] >> 3;
        var frequencyIndex = ((asc[0] & 0x07) << 1) | (asc[1] >> 7);
        var channels = (asc[1] >> 3) & 0x0F;
        var length = rawFrameLength + Size;
        header[0] = 0xFF;
        header[1] = 0xF1;
        header[2] = (byte)((((objectType - 1) & 0x03) << 6) | (frequencyIndex << 2) | ((channels >> 2) & 0x01));
        header[3] = (byte)(((channels & 0x03) << 6) | (length >> 11));
        header[4] = (byte)(length >> 3);
        header[5] = (byte)(((length & 0x07) << 5) | 0x1F);
        header[6] = 0xFC;
    }
}
