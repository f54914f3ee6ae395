using System.Buffers.Binary;
using LiveHost.WebRtc.Rtp;

namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// One track's plaintext RTP packets, written once by the room and read by every viewer. A fixed ring of fixed-size
/// slots: the writer never waits for readers, a reader that falls a whole ring behind simply finds its packets
/// overwritten (it is cut forward). The same slots answer NACKs, found by sequence number. Each slot keeps room
/// for the SRTP tag, so a viewer copies a packet once into its own buffer and encrypts it in place.
/// </summary>
public sealed class RtpPacketRing : IRtpPacketSink
{
    /// <summary>Bytes each slot keeps past the largest packet for the SRTP authentication tag (10 for HMAC-SHA1-80, 16 for AES-GCM).</summary>
    public const int SrtpTrailerReserve = 16;

    private readonly byte[] _slots;
    private readonly int[] _lengths;
    private readonly long[] _indexes;
    private readonly bool[] _frameStarts;
    private readonly long[] _indexBySequence = new long[65536];
    private readonly int _mask;
    private long _head;
    private long _pendingIndex = -1;
    private bool _nextStartsKeyframe;

    public RtpPacketRing(int capacity, int slotSize)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(capacity), "must be a power of two");
        Capacity = capacity;
        SlotSize = slotSize;
        _mask = capacity - 1;
        _slots = new byte[capacity * slotSize];
        _lengths = new int[capacity];
        _indexes = new long[capacity];
        _frameStarts = new bool[capacity];
        Array.Fill(_indexes, -1);
        Array.Fill(_indexBySequence, -1);
    }

    public int Capacity { get; }
    public int SlotSize { get; }

    /// <summary>Index the next packet will get; packets [Head - Capacity, Head) may still be read.</summary>
    public long Head => Volatile.Read(ref _head);

    /// <summary>Index of the first packet of the newest keyframe, or -1.</summary>
    public long LastKeyframeStart { get; private set; } = -1;

    /// <summary>
    /// Index just past the last packet of the newest keyframe, once all of it is written (see
    /// <see cref="CompleteKeyframe"/>); below <see cref="LastKeyframeStart"/> while it is still being written.
    /// </summary>
    public long LastKeyframeEnd { get; private set; } = -1;

    /// <summary>The next committed packet begins a keyframe (a new viewer may start its video there).</summary>
    public void MarkNextAsKeyframeStart() => _nextStartsKeyframe = true;

    /// <summary>The keyframe begun by <see cref="MarkNextAsKeyframeStart"/> is all written.</summary>
    public void CompleteKeyframe() => LastKeyframeEnd = Head;

    /// <summary>
    /// The stream stopped (the room encodes nothing for lack of viewers): what the ring holds is old, so no new viewer
    /// may start from its keyframe; they wait for the next one.
    /// </summary>
    public void ForgetKeyframe() => LastKeyframeStart = -1;

    public Span<byte> GetPacketBuffer(int packetSize)
    {
        if (packetSize > SlotSize) throw new ArgumentOutOfRangeException(nameof(packetSize), $"packet of {packetSize} bytes exceeds the slot size {SlotSize}");
        var index = Head;
        var slot = (int)(index & _mask);
        // Invalidate before writing, so a reader that races the overwrite sees a mismatched index and drops the copy.
        Volatile.Write(ref _indexes[slot], -1);
        _pendingIndex = index;
        return _slots.AsSpan(slot * SlotSize, SlotSize);
    }

    public void CommitPacket(int packetSize)
    {
        var index = _pendingIndex;
        var slot = (int)(index & _mask);
        _lengths[slot] = packetSize;
        _frameStarts[slot] = _nextStartsKeyframe;
        if (_nextStartsKeyframe) LastKeyframeStart = index;
        _nextStartsKeyframe = false;
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(_slots.AsSpan(slot * SlotSize + 2));
        Volatile.Write(ref _indexBySequence[sequence], index);
        Volatile.Write(ref _indexes[slot], index);
        Volatile.Write(ref _head, index + 1);
    }

    /// <summary>Copies packet <paramref name="index"/>; false when it was overwritten (the reader fell a ring behind).</summary>
    public bool TryCopy(long index, Span<byte> destination, out int length, out bool startsKeyframe)
    {
        var slot = (int)(index & _mask);
        length = 0;
        startsKeyframe = false;
        if (Volatile.Read(ref _indexes[slot]) != index) return false;
        length = _lengths[slot];
        startsKeyframe = _frameStarts[slot];
        _slots.AsSpan(slot * SlotSize, length).CopyTo(destination);
        // The writer may have reused the slot while we copied: check again.
        return Volatile.Read(ref _indexes[slot]) == index;
    }

    /// <summary>Ring index of the packet with RTP sequence number <paramref name="sequence"/>, if it is still held.</summary>
    public bool TryFindSequence(ushort sequence, out long index)
    {
        index = Volatile.Read(ref _indexBySequence[sequence]);
        return index >= 0 && index >= Head - Capacity;
    }
}
