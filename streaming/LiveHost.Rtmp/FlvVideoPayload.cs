using System.Buffers;
using LiveHost.Media;

namespace LiveHost.Rtmp;

/// <summary>
/// FLV VIDEODATA payloads for H.264 (FLV spec v10, E.4.3): one byte FrameType(4 bits)|CodecID(4 bits = 7),
/// then AVCVIDEOPACKET: AVCPacketType (0 = sequence header, 1 = NALU), a 24-bit composition time, then data.
/// EncodedFrame video data is already AVCC (4-byte length-prefixed NAL units), so a NALU packet is just
/// <see cref="HeaderSize"/> bytes in front of it; the sender writes that header and the frame bytes without copying them together.
/// </summary>
public static class FlvVideoPayload
{
    public const int HeaderSize = 5;
    public const byte CodecIdAvc = 7;
    private const byte KeyFrame = 1;
    private const byte InterFrame = 2;
    private const byte SequenceHeader = 0;
    private const byte Nalu = 1;

    /// <summary>Writes the 5-byte header of an AVC NALU packet. Composition time is 0: LiveHost encodes without B-frames.</summary>
    public static int WriteNaluHeader(Span<byte> destination, bool isKeyframe)
    {
        destination[..HeaderSize][0] = (byte)(((isKeyframe ? KeyFrame : InterFrame) << 4) | CodecIdAvc);
        destination[1] = Nalu;
        destination[2] = 0;
        destination[3] = 0;
        destination[4] = 0;
        return HeaderSize;
    }

    public static int GetSequenceHeaderSize(H264Config config) => HeaderSize + config.DecoderConfigurationRecord.Length;

    /// <summary>The AVC sequence header: a keyframe-typed packet carrying the AVCDecoderConfigurationRecord.</summary>
    public static int WriteSequenceHeader(Span<byte> destination, H264Config config)
    {
        var record = config.DecoderConfigurationRecord;
        destination[..(HeaderSize + record.Length)][0] = (KeyFrame << 4) | CodecIdAvc;
        destination[1] = SequenceHeader;
        destination[2] = 0;
        destination[3] = 0;
        destination[4] = 0;
        record.CopyTo(destination[HeaderSize..]);
        return HeaderSize + record.Length;
    }

    public static void WriteSequenceHeader(IBufferWriter<byte> writer, H264Config config) =>
        writer.Advance(WriteSequenceHeader(writer.GetSpan(GetSequenceHeaderSize(config)), config));

    /// <summary>A complete NALU packet (header + AVCC data) in one buffer, for tests and tools; the sender avoids this copy.</summary>
    public static void WriteNaluPacket(IBufferWriter<byte> writer, bool isKeyframe, ReadOnlySpan<byte> avcc)
    {
        var span = writer.GetSpan(HeaderSize + avcc.Length);
        WriteNaluHeader(span, isKeyframe);
        avcc.CopyTo(span[HeaderSize..]);
        writer.Advance(HeaderSize + avcc.Length);
    }
}
