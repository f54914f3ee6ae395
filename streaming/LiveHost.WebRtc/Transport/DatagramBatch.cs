using System.Runtime.InteropServices;

namespace LiveHost.WebRtc.Transport;

/// <summary>
/// Up to <see cref="MaxDatagrams"/> datagrams for one destination, written in place into fixed slots and handed to
/// <see cref="UdpMux.SendBatch"/> in one go. The slots and the scratch the kernel reads (iovecs, message headers,
/// control messages) sit in one unmanaged block, so nothing moves and nothing is pinned per send. Each datagram
/// carries a caller's tag (what it was, for counting once it is known to have gone out). Rented from and returned to
/// a <see cref="DatagramBatchPool"/>; used by one thread at a time.
/// </summary>
public sealed unsafe class DatagramBatch : IDisposable
{
    /// <summary>Datagrams per batch: a keyframe's worth for one viewer at 720p (more is sent in several batches).</summary>
    public const int MaxDatagrams = 64;

    /// <summary>An MTU-sized RTP packet, its SRTP tag and room to spare.</summary>
    public const int SlotSize = 1600;

    private readonly int[] _lengths = new int[MaxDatagrams];
    private readonly int[] _tags = new int[MaxDatagrams];
    private readonly bool[] _sent = new bool[MaxDatagrams];
    private byte* _memory;

    public DatagramBatch()
    {
        var bytes = (nuint)(MaxDatagrams * (SlotSize + sizeof(LinuxSendCalls.IoVec) + sizeof(LinuxSendCalls.MMsgHdr) + LinuxSendCalls.SegmentControlSpace));
        _memory = (byte*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_memory, bytes);
        Slots = _memory;
        IoVecs = (LinuxSendCalls.IoVec*)(Slots + MaxDatagrams * SlotSize);
        Messages = (LinuxSendCalls.MMsgHdr*)(IoVecs + MaxDatagrams);
        Controls = (byte*)(Messages + MaxDatagrams);
    }

    /// <summary>Datagrams added since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    public bool IsFull => Count == MaxDatagrams;

    /// <summary>Where the next datagram is to be written (<see cref="SlotSize"/> bytes); then <see cref="Add"/> it.</summary>
    public Span<byte> NextSlot => IsFull ? throw new InvalidOperationException("the batch is full: send it first") : new Span<byte>(Slots + Count * SlotSize, SlotSize);

    /// <summary>Takes the first <paramref name="length"/> bytes of <see cref="NextSlot"/> as the next datagram.</summary>
    public void Add(int length, int tag = 0)
    {
        if (IsFull) throw new InvalidOperationException("the batch is full: send it first");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, SlotSize);
        _lengths[Count] = length;
        _tags[Count] = tag;
        _sent[Count] = false;
        Count++;
    }

    /// <summary>Datagram <paramref name="index"/>'s bytes.</summary>
    public ReadOnlySpan<byte> Datagram(int index) => new(Slots + index * SlotSize, _lengths[index]);

    public int Length(int index) => _lengths[index];

    public int Tag(int index) => _tags[index];

    /// <summary>Whether the kernel took datagram <paramref name="index"/> in the last send.</summary>
    public bool WasSent(int index) => _sent[index];

    public void Clear() => Count = 0;

    internal byte* Slots { get; }
    internal LinuxSendCalls.IoVec* IoVecs { get; }
    internal LinuxSendCalls.MMsgHdr* Messages { get; }
    internal byte* Controls { get; }

    internal byte* Slot(int index) => Slots + index * SlotSize;

    internal void MarkSent(int first, int count, bool sent) => _sent.AsSpan(first, count).Fill(sent);

    public void Dispose()
    {
        if (_memory is null) return;
        NativeMemory.AlignedFree(_memory);
        _memory = null;
    }
}
