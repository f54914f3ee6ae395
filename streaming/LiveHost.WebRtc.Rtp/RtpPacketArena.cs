namespace LiveHost.WebRtc.Rtp;

/// <summary>
/// An <see cref="IRtpPacketSink"/> that keeps the packets of one frame in fixed-size slots of one reusable block.
/// Each slot leaves <see cref="TrailerReserve"/> bytes after the largest packet, so an SRTP layer encrypting in
/// place has room for its authentication tag.
/// Ownership: the arena's owner (the room's packetizing loop). Packets stay valid until <see cref="Clear"/>; the
/// owner hands them to every viewer (who encrypt into their own buffers) and to the retransmission buffer (which
/// copies) before clearing. The block grows by doubling when a frame needs more slots than any before, so after
/// warm-up no packet allocates. Not thread-safe.
/// </summary>
public sealed class RtpPacketArena : IRtpPacketSink
{
    public const int DefaultTrailerReserve = 16;

    private byte[] _block;
    private int[] _lengths;
    private int _count;
    private bool _pending;

    public RtpPacketArena(int maxPacketSize = H264.H264PacketizerOptions.DefaultMaxPacketSize, int trailerReserve = DefaultTrailerReserve, int initialCapacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, RtpHeader.FixedSize + 1);
        ArgumentOutOfRangeException.ThrowIfNegative(trailerReserve);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        MaxPacketSize = maxPacketSize;
        TrailerReserve = trailerReserve;
        SlotSize = maxPacketSize + trailerReserve;
        _block = new byte[SlotSize * initialCapacity];
        _lengths = new int[initialCapacity];
    }

    public int MaxPacketSize { get; }
    public int TrailerReserve { get; }
    public int SlotSize { get; }

    /// <summary>Finished packets since the last <see cref="Clear"/>.</summary>
    public int Count => _count;

    /// <summary>Slots the arena can hold without growing (a pool metric: stops changing after warm-up).</summary>
    public int Capacity => _lengths.Length;

    /// <summary>Packet <paramref name="index"/>, exactly its length.</summary>
    public Memory<byte> GetPacket(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _block.AsMemory(index * SlotSize, _lengths[index]);
    }

    /// <summary>Packet <paramref name="index"/> followed by its trailer reserve, for in-place SRTP.</summary>
    public Memory<byte> GetPacketWithTrailer(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _block.AsMemory(index * SlotSize, _lengths[index] + TrailerReserve);
    }

    public void Clear()
    {
        _count = 0;
        _pending = false;
    }

    public Span<byte> GetPacketBuffer(int packetSize)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packetSize, MaxPacketSize);
        if (_count == _lengths.Length) Grow();
        _pending = true;
        return _block.AsSpan(_count * SlotSize, MaxPacketSize);
    }

    public void CommitPacket(int packetSize)
    {
        if (!_pending) throw new InvalidOperationException("CommitPacket without GetPacketBuffer");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packetSize, MaxPacketSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(packetSize);
        _lengths[_count++] = packetSize;
        _pending = false;
    }

    private void Grow()
    {
        var capacity = _lengths.Length * 2;
        Array.Resize(ref _block, capacity * SlotSize);
        Array.Resize(ref _lengths, capacity);
    }
}
