namespace LiveHost.WebRtc.Rtp.Opus;

/// <summary>
/// RFC 7587 §4.2: one Opus packet per RTP packet, the payload being the Opus packet as the encoder wrote it.
/// The timestamp runs at 48 kHz whatever the encoder's internal bandwidth (§4.1). The marker bit stays clear:
/// LiveHost does not use DTX, so there is never a talkspurt start to mark (§4.1, RFC 3551 §4.1).
/// Allocates nothing per packet. Not thread-safe.
/// </summary>
public sealed class OpusPacketizer
{
    public const int ClockRate = 48_000;

    /// <summary>The largest Opus packet a single frame can produce (RFC 6716 §3.4, R1/R2).</summary>
    public const int MaxOpusPacketSize = 1275;

    public OpusPacketizer(RtpOutboundStream stream) => Stream = stream;

    public RtpOutboundStream Stream { get; }

    /// <summary>Writes one packet; false (nothing written) for an empty frame or one larger than an Opus packet can be.</summary>
    public bool TryPacketize(ReadOnlySpan<byte> opusPacket, uint rtpTimestamp, IRtpPacketSink sink)
    {
        if (opusPacket.IsEmpty || opusPacket.Length > MaxOpusPacketSize) return false;
        var packetSize = RtpHeader.FixedSize + opusPacket.Length;
        var packet = sink.GetPacketBuffer(packetSize);
        var offset = Stream.WriteHeader(packet, rtpTimestamp, marker: false);
        opusPacket.CopyTo(packet[offset..]);
        sink.CommitPacket(packetSize);
        Stream.CountPacket(opusPacket.Length);
        return true;
    }
}
