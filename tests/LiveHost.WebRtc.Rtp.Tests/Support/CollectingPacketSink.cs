namespace LiveHost.WebRtc.Rtp.Tests.Support;

/// <summary>A sink that copies each packet out, for assertions (allocation tests use <see cref="CountingPacketSink"/> instead).</summary>
public sealed class CollectingPacketSink : IRtpPacketSink
{
    private readonly byte[] _buffer = new byte[65_536];

    public List<byte[]> Packets { get; } = [];

    public Span<byte> GetPacketBuffer(int packetSize) => _buffer;

    public void CommitPacket(int packetSize) => Packets.Add(_buffer.AsSpan(0, packetSize).ToArray());
}
