using System.Numerics;

namespace LiveHost.WebRtc.Rtp;

/// <summary>
/// The last <see cref="Capacity"/> packets of one RTP stream, by sequence number, for answering NACKs
/// (RFC 4585 §6.2.1) with the very same packet again (browsers accept a plain retransmission; RFC 4588 RTX is not
/// used). Packets are copied into slots allocated up front; slot = sequence number modulo capacity, and the
/// capacity divides 65 536 so the mapping survives sequence-number wrap.
/// A lookup succeeds only for a sequence number within <see cref="Capacity"/> of the newest stored, which rules out
/// both packets long gone and stale slots from 65 536 packets ago.
/// Thread-safe: the room's loop stores while viewers' RTCP handlers copy out.
/// </summary>
public sealed class RetransmissionBuffer
{
    public const int DefaultCapacity = 512;

    private readonly Lock _gate = new();
    private readonly byte[] _slots;
    private readonly int[] _lengths;
    private readonly ushort[] _sequenceNumbers;
    private readonly int _mask;
    private ushort _newest;
    private bool _any;

    public RetransmissionBuffer(int capacity = DefaultCapacity, int maxPacketSize = H264.H264PacketizerOptions.DefaultMaxPacketSize)
    {
        if (capacity is < 1 or > 32_768 || !BitOperations.IsPow2(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be a power of two within 1..32768");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, RtpHeader.FixedSize);
        Capacity = capacity;
        MaxPacketSize = maxPacketSize;
        _mask = capacity - 1;
        _slots = new byte[capacity * maxPacketSize];
        _lengths = new int[capacity];
        _sequenceNumbers = new ushort[capacity];
    }

    public int Capacity { get; }
    public int MaxPacketSize { get; }

    /// <summary>
    /// Keeps a copy of an RTP packet (plaintext, header included), under the sequence number in its header.
    /// Store packets in the order they are sent: the last stored counts as the newest.
    /// Returns false for a packet too short to be RTP or too large for a slot.
    /// </summary>
    public bool Store(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < RtpHeader.FixedSize || packet.Length > MaxPacketSize) return false;
        var sequenceNumber = RtpHeader.ReadSequenceNumber(packet);
        var slot = sequenceNumber & _mask;
        lock (_gate)
        {
            packet.CopyTo(_slots.AsSpan(slot * MaxPacketSize));
            _lengths[slot] = packet.Length;
            _sequenceNumbers[slot] = sequenceNumber;
            // Packets are stored in the order they are sent, so the last one stored is the newest, even across a
            // jump in sequence numbers (a restarted packetizer) that serial-number comparison would call older.
            _newest = sequenceNumber;
            _any = true;
        }
        return true;
    }

    /// <summary>
    /// The stored packet with this sequence number. The memory is the slot itself: it is overwritten when the
    /// stream has moved <see cref="Capacity"/> packets on, so use it at once, on the thread that stores, or call
    /// <see cref="TryCopyTo"/> from any other thread.
    /// </summary>
    public bool TryGet(ushort sequenceNumber, out ReadOnlyMemory<byte> packet)
    {
        lock (_gate)
        {
            if (!TryFindSlot(sequenceNumber, out var slot))
            {
                packet = default;
                return false;
            }
            packet = _slots.AsMemory(slot * MaxPacketSize, _lengths[slot]);
            return true;
        }
    }

    /// <summary>Copies the stored packet with this sequence number into <paramref name="destination"/>; safe from any thread.</summary>
    public bool TryCopyTo(ushort sequenceNumber, Span<byte> destination, out int length)
    {
        lock (_gate)
        {
            length = 0;
            if (!TryFindSlot(sequenceNumber, out var slot) || destination.Length < _lengths[slot]) return false;
            length = _lengths[slot];
            _slots.AsSpan(slot * MaxPacketSize, length).CopyTo(destination);
            return true;
        }
    }

    private bool TryFindSlot(ushort sequenceNumber, out int slot)
    {
        slot = sequenceNumber & _mask;
        var age = (ushort)(_newest - sequenceNumber);
        return _any && age < Capacity && _lengths[slot] > 0 && _sequenceNumbers[slot] == sequenceNumber;
    }
}
