namespace LiveHost.Encoding.Flv;

public enum AvcPacketType : byte
{
    SequenceHeader = 0,
    Nalu = 1,
    EndOfSequence = 2,
}

/// <summary>
/// The five bytes that open an FLV video tag carrying AVC (FLV spec E.4.3.1):
/// <code>
/// frameType(4) codecId(4) | AVCPacketType(8) | CompositionTime(SI24)
/// </code>
/// frameType 1 is a keyframe, codecId 7 is AVC. The body after these bytes is an AVCDecoderConfigurationRecord
/// for a sequence header, or one AVCC access unit for a NALU packet.
/// </summary>
public readonly record struct FlvVideoTagHeader(int FrameType, int CodecId, AvcPacketType PacketType, int CompositionTimeMs)
{
    public const int Length = 5;
    public const int AvcCodecId = 7;

    public bool IsKeyframe => FrameType == 1;

    public static bool TryParse(ReadOnlySpan<byte> tagData, out FlvVideoTagHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (tagData.Length < Length) return false;
        var codecId = tagData[0] & 0x0F;
        if (codecId != AvcCodecId || tagData[1] > 2) return false;
        var composition = (tagData[2] << 16) | (tagData[3] << 8) | tagData[4];
        if ((composition & 0x800000) != 0) composition -= 1 << 24;
        header = new FlvVideoTagHeader(tagData[0] >> 4, codecId, (AvcPacketType)tagData[1], composition);
        consumed = Length;
        return true;
    }
}
