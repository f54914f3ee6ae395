using System.Buffers;

namespace LiveHost.Rtmp;

/// <summary>
/// Splits outgoing messages into chunks. The first message on a chunk stream, a message for another message
/// stream, and a timestamp that goes backwards get a fmt 0 header (absolute time); later messages get fmt 1
/// (delta, length, type); continuation chunks get fmt 3, repeating the extended timestamp when there is one.
/// A message is given as a small prefix (an FLV tag header) plus a body, so frames are never copied together first.
/// Holds per-chunk-stream state in a fixed array: writing allocates nothing.
/// </summary>
public sealed class RtmpChunkWriter
{
    public const int DefaultChunkSize = 128;

    /// <summary>Chunk streams 2..63 (one-byte basic header) are all a publisher needs.</summary>
    public const int MaxChunkStreamId = 63;

    private readonly ChunkStreamState[] _streams = new ChunkStreamState[MaxChunkStreamId + 1];
    private int _chunkSize = DefaultChunkSize;

    private struct ChunkStreamState
    {
        public bool HasPrevious;
        public uint Timestamp;
        public uint StreamId;
    }

    /// <summary>The outgoing chunk size; change it only right after sending Set Chunk Size with the same value.</summary>
    public int ChunkSize
    {
        get => _chunkSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0x7FFFFFFF);
            _chunkSize = value;
        }
    }

    /// <summary>Bytes the chunked message will take on the wire (at most; fmt 1 may save a few).</summary>
    public int GetMaxEncodedSize(int messageLength)
    {
        var chunks = Math.Max(1, (messageLength + _chunkSize - 1) / _chunkSize);
        return messageLength + (chunks * RtmpChunkHeader.MaxSize);
    }

    /// <summary>Forgets all chunk stream state, as a new connection must.</summary>
    public void Reset()
    {
        Array.Clear(_streams);
        _chunkSize = DefaultChunkSize;
    }

    public void WriteMessage(
        IBufferWriter<byte> output, int chunkStreamId, byte typeId, uint streamId, uint timestamp,
        ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkStreamId, RtmpChunkHeader.MinChunkStreamId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkStreamId, MaxChunkStreamId);
        var length = prefix.Length + body.Length;
        if (length > 0xFFFFFF) throw new ArgumentException("an RTMP message is limited to 16 MiB", nameof(body));

        ref var state = ref _streams[chunkStreamId];
        RtmpChunkHeader header;
        if (!state.HasPrevious || state.StreamId != streamId || timestamp < state.Timestamp)
        {
            header = new RtmpChunkHeader(0, chunkStreamId, timestamp, length, typeId, streamId);
        }
        else
        {
            header = new RtmpChunkHeader(1, chunkStreamId, timestamp - state.Timestamp, length, typeId, streamId);
        }
        state.HasPrevious = true;
        state.Timestamp = timestamp;
        state.StreamId = streamId;

        var written = 0;
        var first = true;
        do
        {
            var payload = Math.Min(_chunkSize, length - written);
            var chunkHeader = first ? header : header with { Format = 3 };
            var span = output.GetSpan(RtmpChunkHeader.MaxSize + payload);
            var offset = chunkHeader.WriteTo(span);
            CopyRange(prefix, body, written, span.Slice(offset, payload));
            output.Advance(offset + payload);
            written += payload;
            first = false;
        }
        while (written < length);
    }

    private static void CopyRange(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, int start, Span<byte> destination)
    {
        var count = destination.Length;
        if (start < prefix.Length)
        {
            var fromPrefix = Math.Min(prefix.Length - start, count);
            prefix.Slice(start, fromPrefix).CopyTo(destination);
            destination = destination[fromPrefix..];
            count -= fromPrefix;
            start = 0;
        }
        else
        {
            start -= prefix.Length;
        }
        if (count > 0) body.Slice(start, count).CopyTo(destination);
    }
}
