using System.Buffers;
using LiveHost.Media;

namespace LiveHost.Rtmp;

/// <summary>
/// FLV AUDIODATA payloads for AAC (FLV spec v10, E.4.2): SoundFormat 10 (AAC), SoundRate 3, SoundSize 1 (16-bit),
/// SoundType 1, then AACPacketType (0 = AudioSpecificConfig, 1 = raw frame). The spec fixes rate and type for AAC
/// whatever the real stream is (48 kHz mono here); decoders take the truth from the AudioSpecificConfig.
/// </summary>
public static class FlvAudioPayload
{
    public const int HeaderSize = 2;
    public const byte CodecIdAac = 10;

    /// <summary>1010 (AAC) 11 (rate 3) 1 (16-bit) 1 (stereo flag, fixed for AAC) = 0xAF.</summary>
    public const byte AacFlags = (CodecIdAac << 4) | (3 << 2) | (1 << 1) | 1;

    private const byte SequenceHeader = 0;
    private const byte Raw = 1;

    public static int WriteRawHeader(Span<byte> destination)
    {
        destination[..HeaderSize][0] = AacFlags;
        destination[1] = Raw;
        return HeaderSize;
    }

    public static int GetSequenceHeaderSize(AacConfig config) => HeaderSize + config.AudioSpecificConfig.Length;

    public static int WriteSequenceHeader(Span<byte> destination, AacConfig config)
    {
        var asc = config.AudioSpecificConfig;
        destination[..(HeaderSize + asc.Length)][0] = AacFlags;
        destination[1] = SequenceHeader;
        asc.CopyTo(destination[HeaderSize..]);
        return HeaderSize + asc.Length;
    }

    public static void WriteSequenceHeader(IBufferWriter<byte> writer, AacConfig config) =>
        writer.Advance(WriteSequenceHeader(writer.GetSpan(GetSequenceHeaderSize(config)), config));

    /// <summary>A complete raw-frame packet in one buffer, for tests and tools; the sender avoids this copy.</summary>
    public static void WriteRawPacket(IBufferWriter<byte> writer, ReadOnlySpan<byte> frame)
    {
        var span = writer.GetSpan(HeaderSize + frame.Length);
        WriteRawHeader(span);
        frame.CopyTo(span[HeaderSize..]);
        writer.Advance(HeaderSize + frame.Length);
    }
}
