namespace LiveHost.WebRtc.Rtp.H264;

/// <summary>How <see cref="H264Packetizer"/> cuts access units into packets.</summary>
public sealed class H264PacketizerOptions
{
    /// <summary>
    /// 1200 bytes of RTP, plus a 16-byte SRTP tag, UDP (8) and IPv6 (40) headers, stays under IPv6's guaranteed
    /// 1280-byte MTU, so packets pass any path without IP fragmentation; it is what browsers use themselves.
    /// </summary>
    public const int DefaultMaxPacketSize = 1200;

    /// <summary>The largest RTP packet (header included) the packetizer writes.</summary>
    public int MaxPacketSize { get; init; } = DefaultMaxPacketSize;

    /// <summary>
    /// Leave out access unit delimiters, SEI and filler data. RTP already delimits access units (timestamp and
    /// marker bit, RFC 6184 §5.1), browsers' decoders ignore SEI, and x264 puts a several-hundred-byte SEI with its
    /// option string on the first frame: bandwidth for nothing, on a keyframe that is already the largest frame.
    /// </summary>
    public bool DropNonEssentialNalUnits { get; init; } = true;

    public void Validate()
    {
        // Room for the header, an FU indicator, an FU header and at least one byte of NAL data.
        if (MaxPacketSize < RtpHeader.FixedSize + 3 || MaxPacketSize > 65_535)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPacketSize), MaxPacketSize, "must be within 15..65535");
        }
    }
}
