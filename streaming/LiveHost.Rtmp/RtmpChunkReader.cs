using System.Buffers.Binary;

namespace LiveHost.Rtmp;

/// <summary>
/// Reassembles incoming chunks into messages (RTMP 1.0, section 5.3), one chunk per call, keeping the previous
/// header of each chunk stream so fmt 1/2/3 headers can be completed. Hostile input yields
/// <see cref="RtmpReadStatus.Invalid"/>, never an exception: messages over <see cref="MaxMessageLength"/>, too many
/// chunk streams, and headers that refer to a chunk stream never opened are all refused.
/// </summary>
public sealed class RtmpChunkReader
{
    public const int DefaultMaxMessageLength = 1 << 20;
    public const int MaxChunkStreams = 64;
    public const int MaxChunkSize = 1 << 24;

    private readonly Dictionary<int, ChunkStreamState> _streams = [];
    private int _chunkSize = RtmpChunkWriter.DefaultChunkSize;

    public RtmpChunkReader(int maxMessageLength = DefaultMaxMessageLength) => MaxMessageLength = maxMessageLength;

    public int MaxMessageLength { get; }

    /// <summary>The peer's chunk size, as announced by its Set Chunk Size message.</summary>
    public int ChunkSize => _chunkSize;

    /// <summary>Applies a Set Chunk Size from the peer; false when the value is out of range (1..2^24).</summary>
    public bool TrySetChunkSize(uint size)
    {
        if (size is < 1 or > MaxChunkSize) return false;
        _chunkSize = (int)size;
        return true;
    }

    private sealed class ChunkStreamState
    {
        public uint Timestamp;
        public uint Delta;
        public int Length;
        public byte TypeId;
        public uint StreamId;
        public bool Extended;
        public byte[]? Buffer;
        public int Received;
    }

    public RtmpReadStatus TryRead(ReadOnlySpan<byte> input, out RtmpMessage? message, out int consumed)
    {
        message = null;
        consumed = 0;
        if (input.IsEmpty) return RtmpReadStatus.NeedMoreData;

        var format = input[0] >> 6;
        var chunkStreamId = input[0] & 0x3F;
        var offset = 1;
        if (chunkStreamId == 0)
        {
            if (input.Length < 2) return RtmpReadStatus.NeedMoreData;
            chunkStreamId = 64 + input[1];
            offset = 2;
        }
        else if (chunkStreamId == 1)
        {
            if (input.Length < 3) return RtmpReadStatus.NeedMoreData;
            chunkStreamId = 64 + input[1] + (input[2] << 8);
            offset = 3;
        }

        var headerSize = RtmpChunkHeader.MessageHeaderSize(format);
        if (input.Length < offset + headerSize) return RtmpReadStatus.NeedMoreData;
        var header = input.Slice(offset, headerSize);
        offset += headerSize;

        _streams.TryGetValue(chunkStreamId, out var state);
        if (state is null)
        {
            if (format != 0) return RtmpReadStatus.Invalid;
            if (_streams.Count >= MaxChunkStreams) return RtmpReadStatus.Invalid;
        }
        var inProgress = state is { Buffer: not null };
        // A new header while a message is half received is a protocol error (section 5.3.1.2.4 allows only fmt 3).
        if (inProgress && format != 3) return RtmpReadStatus.Invalid;

        uint field = 0;
        var length = state?.Length ?? 0;
        var typeId = state?.TypeId ?? 0;
        var streamId = state?.StreamId ?? 0;
        if (format <= 2) field = RtmpChunkHeader.ReadUInt24(header);
        if (format <= 1)
        {
            length = (int)RtmpChunkHeader.ReadUInt24(header[3..]);
            typeId = header[6];
        }
        if (format == 0) streamId = BinaryPrimitives.ReadUInt32LittleEndian(header[7..]);

        var extended = format <= 2 ? field == RtmpChunkHeader.ExtendedTimestampMarker : state!.Extended;
        if (extended)
        {
            if (input.Length < offset + 4) return RtmpReadStatus.NeedMoreData;
            field = BinaryPrimitives.ReadUInt32BigEndian(input[offset..]);
            offset += 4;
        }
        if (length > MaxMessageLength) return RtmpReadStatus.Invalid;

        var received = inProgress ? state!.Received : 0;
        var payload = Math.Min(_chunkSize, length - received);
        if (input.Length < offset + payload) return RtmpReadStatus.NeedMoreData;

        // Everything needed is present: commit the header to the chunk stream's state.
        if (state is null)
        {
            state = new ChunkStreamState();
            _streams.Add(chunkStreamId, state);
        }
        if (!inProgress)
        {
            switch (format)
            {
                case 0:
                    state.Timestamp = field;
                    state.Delta = 0;
                    break;
                case 1:
                case 2:
                    state.Delta = field;
                    state.Timestamp += field;
                    break;
                default:
                    // fmt 3 opening a new message repeats the previous delta (section 5.3.1.2.4).
                    state.Timestamp += state.Delta;
                    break;
            }
            state.Length = length;
            state.TypeId = typeId;
            state.StreamId = streamId;
            state.Extended = extended;
            state.Buffer = new byte[length];
            state.Received = 0;
        }

        input.Slice(offset, payload).CopyTo(state.Buffer.AsSpan(state.Received));
        state.Received += payload;
        consumed = offset + payload;
        if (state.Received < state.Length) return RtmpReadStatus.ChunkConsumed;

        message = new RtmpMessage(state.TypeId, state.Timestamp, state.StreamId, state.Buffer!);
        state.Buffer = null;
        state.Received = 0;
        return RtmpReadStatus.Message;
    }
}
