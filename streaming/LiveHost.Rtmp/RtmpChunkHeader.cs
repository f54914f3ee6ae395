using System.Buffers.Binary;

namespace LiveHost.Rtmp;

/// <summary>
/// An RTMP chunk header (RTMP 1.0, section 5.3.1):
/// <code>
/// basic header   fmt(2 bits) | csid (6 bits; 0 and 1 escape to 2- and 3-byte forms for csid >= 64)
/// fmt 0 (11 B)   timestamp(3) | message length(3) | type id(1) | message stream id(4, little-endian)
/// fmt 1 (7 B)    timestamp delta(3) | message length(3) | type id(1)
/// fmt 2 (3 B)    timestamp delta(3)
/// fmt 3 (0 B)    everything from the previous chunk of this chunk stream
/// extended (4 B) present when the 3-byte field reads 0xFFFFFF; fmt 3 chunks of such a message repeat it
/// </code>
/// </summary>
public readonly record struct RtmpChunkHeader(byte Format, int ChunkStreamId, uint Timestamp, int MessageLength, byte TypeId, uint StreamId)
{
    public const uint ExtendedTimestampMarker = 0xFFFFFF;
    public const int MinChunkStreamId = 2;
    public const int MaxChunkStreamId = 65599;

    /// <summary>The largest header: 3-byte basic header, 11-byte message header, 4-byte extended timestamp.</summary>
    public const int MaxSize = 18;

    /// <summary>For fmt 0 the absolute timestamp, for fmt 1 and 2 the delta, for fmt 3 whatever the message uses.</summary>
    public bool HasExtendedTimestamp => Timestamp >= ExtendedTimestampMarker;

    public int GetSize() => BasicHeaderSize(ChunkStreamId) + MessageHeaderSize(Format) + (HasExtendedTimestamp ? 4 : 0);

    public static int BasicHeaderSize(int chunkStreamId) => chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;

    public static int MessageHeaderSize(int format) => format switch { 0 => 11, 1 => 7, 2 => 3, _ => 0 };

    public int WriteTo(Span<byte> destination)
    {
        if (Format > 3) throw new InvalidOperationException("chunk format must be 0..3");
        if (ChunkStreamId is < MinChunkStreamId or > MaxChunkStreamId) throw new InvalidOperationException("chunk stream id must be 2..65599");
        var size = GetSize();
        var span = destination[..size];
        var offset = 0;
        if (ChunkStreamId < 64)
        {
            span[offset++] = (byte)((Format << 6) | ChunkStreamId);
        }
        else if (ChunkStreamId < 320)
        {
            span[offset++] = (byte)(Format << 6);
            span[offset++] = (byte)(ChunkStreamId - 64);
        }
        else
        {
            var id = ChunkStreamId - 64;
            span[offset++] = (byte)((Format << 6) | 1);
            span[offset++] = (byte)(id & 0xFF);
            span[offset++] = (byte)(id >> 8);
        }
        var field = Math.Min(Timestamp, ExtendedTimestampMarker);
        if (Format <= 2)
        {
            WriteUInt24(span[offset..], field);
            offset += 3;
        }
        if (Format <= 1)
        {
            WriteUInt24(span[offset..], (uint)MessageLength);
            offset += 3;
            span[offset++] = TypeId;
        }
        if (Format == 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], StreamId);
            offset += 4;
        }
        if (HasExtendedTimestamp)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[offset..], Timestamp);
            offset += 4;
        }
        return offset;
    }

    internal static void WriteUInt24(Span<byte> destination, uint value)
    {
        destination[..3][0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }

    internal static uint ReadUInt24(ReadOnlySpan<byte> source) => (uint)((source[0] << 16) | (source[1] << 8) | source[2]);
}
