namespace LiveHost.Media;

public enum MediaKind { Video, Audio }

/// <summary>
/// One encoded access unit, produced once per room and shared read-only by every output.
/// Video data is AVCC: each NAL unit prefixed by its 4-byte big-endian length (what FLV carries, and trivially
/// split into NAL units for RTP). Audio data is one raw AAC frame, without ADTS header, or one Opus packet
/// (<see cref="Codec"/> tells which).
/// </summary>
public sealed class EncodedFrame
{
    /// <summary>A frame of the kind's usual codec: H.264 for video, AAC for audio.</summary>
    public EncodedFrame(MediaKind kind, long pts90k, bool isKeyframe, ReadOnlyMemory<byte> data, long sourceTimestamp)
        : this(kind == MediaKind.Video ? MediaCodec.H264 : MediaCodec.Aac, pts90k, isKeyframe, data, sourceTimestamp)
    {
    }

    public EncodedFrame(MediaCodec codec, long pts90k, bool isKeyframe, ReadOnlyMemory<byte> data, long sourceTimestamp)
    {
        if (codec is not (MediaCodec.H264 or MediaCodec.Aac or MediaCodec.Opus)) throw new ArgumentOutOfRangeException(nameof(codec), codec, "one codec");
        Codec = codec;
        Kind = codec == MediaCodec.H264 ? MediaKind.Video : MediaKind.Audio;
        Pts90k = pts90k;
        IsKeyframe = isKeyframe;
        Data = data;
        SourceTimestamp = sourceTimestamp;
    }

    public MediaKind Kind { get; }

    public MediaCodec Codec { get; }

    /// <summary>Presentation time on the room's 90 kHz media clock.</summary>
    public long Pts90k { get; }

    /// <summary>True for an IDR picture (always true for audio).</summary>
    public bool IsKeyframe { get; }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp (what <see cref="TimeProvider.System"/> gives) of the engine tick
    /// that brought the frame's input: for latency metrics, and, with <see cref="Pts90k"/>, the link between media time and
    /// the wall clock that RTP sender reports carry. For an Opus frame it is the instant of its first sample (its tick's
    /// timestamp plus the sample's offset into that tick).
    /// </summary>
    public long SourceTimestamp { get; }

    public long PtsMilliseconds => Pts90k / 90;
}
