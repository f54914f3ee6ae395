using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>
/// The lost sequence numbers of a generic NACK's FCI entries (RFC 4585 §6.2.1), in order and without copying:
/// <code>
/// |            PID                |             BLP               |
/// </code>
/// PID is lost, and so is PID + i + 1 for every bit i (least significant first) set in BLP.
/// </summary>
public ref struct RtcpNackEnumerator
{
    public const int EntrySize = 4;

    private ReadOnlySpan<byte> _entries;
    private ushort _pid;
    private ushort _blp;
    private int _bit; // -1: PID next; 0..15: BLP bits; 16: entry done

    internal RtcpNackEnumerator(ReadOnlySpan<byte> fci)
    {
        _entries = fci[..(fci.Length / EntrySize * EntrySize)];
        _bit = 16;
        Current = 0;
    }

    public ushort Current { get; private set; }

    public readonly RtcpNackEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (true)
        {
            if (_bit == 16)
            {
                if (_entries.IsEmpty) return false;
                _pid = BinaryPrimitives.ReadUInt16BigEndian(_entries);
                _blp = BinaryPrimitives.ReadUInt16BigEndian(_entries[2..]);
                _entries = _entries[EntrySize..];
                _bit = -1;
                Current = _pid;
                return true;
            }
            _bit++;
            if (_bit < 16 && (_blp & (1 << _bit)) != 0)
            {
                Current = unchecked((ushort)(_pid + _bit + 1));
                return true;
            }
        }
    }
}
