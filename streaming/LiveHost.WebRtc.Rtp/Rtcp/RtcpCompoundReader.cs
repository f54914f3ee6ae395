namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>
/// Reads the packets of a compound RTCP packet (RFC 3550 §6.1) one by one, without copying:
/// <code>
/// var reader = new RtcpCompoundReader(datagram);
/// while (reader.TryReadNext(out var packet)) { ... }
/// if (reader.IsMalformed) { /* count it; what came before was still valid */ }
/// </code>
/// It does not insist that a compound begin with an SR or RR: browsers negotiate reduced-size RTCP
/// (RFC 5506, a=rtcp-rsize) and send feedback packets on their own.
/// </summary>
public ref struct RtcpCompoundReader
{
    private ReadOnlySpan<byte> _remaining;

    public RtcpCompoundReader(ReadOnlySpan<byte> compound)
    {
        _remaining = compound;
        IsMalformed = compound.IsEmpty;
    }

    /// <summary>True when reading stopped at bytes that are not a valid RTCP packet (or the input was empty).</summary>
    public bool IsMalformed { get; private set; }

    public bool TryReadNext(out RtcpPacket packet)
    {
        packet = default;
        if (IsMalformed || _remaining.IsEmpty) return false;
        if (!RtcpPacket.TryParse(_remaining, out packet, out var consumed))
        {
            IsMalformed = true;
            return false;
        }
        _remaining = _remaining[consumed..];
        return true;
    }
}
