namespace LiveHost.WebRtc.Rtp;

/// <summary>
/// Where packetizers write finished RTP packets, in the manner of <see cref="System.Buffers.IBufferWriter{T}"/>:
/// the packetizer asks for a buffer, writes one whole packet at its start, then commits it. The sink owns the
/// buffers, so the packetizer never allocates and the owner decides how long a packet lives.
/// </summary>
public interface IRtpPacketSink
{
    /// <summary>A buffer of at least <paramref name="packetSize"/> bytes for the next packet.</summary>
    Span<byte> GetPacketBuffer(int packetSize);

    /// <summary>The first <paramref name="packetSize"/> bytes of the buffer last handed out are a finished packet.</summary>
    void CommitPacket(int packetSize);
}
