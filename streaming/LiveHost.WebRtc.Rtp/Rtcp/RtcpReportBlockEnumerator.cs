namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>The reception report blocks of an SR or RR, without copying.</summary>
public ref struct RtcpReportBlockEnumerator
{
    private ReadOnlySpan<byte> _blocks;
    private int _remaining;

    internal RtcpReportBlockEnumerator(ReadOnlySpan<byte> blocks, int count)
    {
        _blocks = blocks;
        _remaining = count;
        Current = default;
    }

    public RtcpReportBlock Current { get; private set; }

    public readonly RtcpReportBlockEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0 || !RtcpReportBlock.TryParse(_blocks, out var block, out var consumed)) return false;
        Current = block;
        _blocks = _blocks[consumed..];
        _remaining--;
        return true;
    }
}
