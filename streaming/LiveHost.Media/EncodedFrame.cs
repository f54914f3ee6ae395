namespace LiveHost.Media;

public enum MediaKind { Video, Audio }

/// <summary>
/// One encoded access unit, produced once per room and shared read-only by every output.
/// Video data is AVCC: each NAL unit prefixed by its 4-byte big-endian length (what FLV carries, and trivially
/// split into NAL units for RTP). Audio data is one raw AAC frame, without ADTS header.
/// </summary>
public sealed class EncodedFrame
{
    public EncodedFrame(MediaKind kind, long pts90k, bool isKeyframe, ReadOnlyMemory<byte> data, long sourceTimestamp)
    {
        Kind = kind;
        Pts90k = pts90k;
        IsKeyframe = isKeyframe;
        Data = data;
        SourceTimestamp = sourceTimestamp;
    }

    public MediaKind Kind { get; }

    /// <summary>Presentation time on the room's 90 kHz media clock.</summary>
    public long Pts90k { get; }

    /// <summary>True for an IDR picture (always true for audio).</summary>
    public bool IsKeyframe { get; }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp at which the raw input entered the encoder; for latency metrics.</summary>
    public long SourceTimestamp { get; }

    public long PtsMilliseconds => Pts90k / 90;
}
