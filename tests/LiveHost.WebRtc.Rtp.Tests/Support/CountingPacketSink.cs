namespace LiveHost.WebRtc.Rtp.Tests.Support;

/// <summary>A sink that writes every packet into one buffer and only counts them: allocates nothing, for allocation tests.</summary>
public sealed class CountingPacketSink : IRtpPacketSink
{
    private readonly byte[] _buffer = new byte[65_536];

    public long Count { get; private set; }

    public Span<byte> GetPacketBuffer(int packetSize) => _buffer;

    public void CommitPacket(int packetSize) => Count++;
}
