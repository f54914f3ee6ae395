using System.Buffers;

namespace LiveHost.Encoding.Flv;

public enum FlvTagType : byte
{
    Audio = 8,
    Video = 9,
    Script = 18,
}

/// <summary>One FLV tag: its type, its millisecond timestamp and its body (a slice of the reader's buffer, valid until it advances).</summary>
public readonly record struct FlvTag(FlvTagType Type, uint TimestampMs, ReadOnlySequence<byte> Data);
