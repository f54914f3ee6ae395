using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>The FCI entries of a FIR, without copying.</summary>
public ref struct RtcpFirEntryEnumerator
{
    private ReadOnlySpan<byte> _entries;

    internal RtcpFirEntryEnumerator(ReadOnlySpan<byte> fci)
    {
        _entries = fci[..(fci.Length / RtcpFirEntry.Size * RtcpFirEntry.Size)];
        Current = default;
    }

    public RtcpFirEntry Current { get; private set; }

    public readonly RtcpFirEntryEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_entries.IsEmpty) return false;
        Current = new RtcpFirEntry(BinaryPrimitives.ReadUInt32BigEndian(_entries), _entries[4]);
        _entries = _entries[RtcpFirEntry.Size..];
        return true;
    }
}
