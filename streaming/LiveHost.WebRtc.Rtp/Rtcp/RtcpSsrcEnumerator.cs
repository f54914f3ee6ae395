using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>A list of 32-bit SSRCs, as a BYE carries them (RFC 3550 §6.6), without copying.</summary>
public ref struct RtcpSsrcEnumerator
{
    private ReadOnlySpan<byte> _ssrcs;
    private int _remaining;

    internal RtcpSsrcEnumerator(ReadOnlySpan<byte> ssrcs, int count)
    {
        _ssrcs = ssrcs;
        _remaining = count;
        Current = 0;
    }

    public uint Current { get; private set; }

    public readonly RtcpSsrcEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0 || _ssrcs.Length < 4) return false;
        Current = BinaryPrimitives.ReadUInt32BigEndian(_ssrcs);
        _ssrcs = _ssrcs[4..];
        _remaining--;
        return true;
    }
}
