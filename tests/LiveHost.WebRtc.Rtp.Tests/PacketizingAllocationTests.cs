using LiveHost.WebRtc.Rtp.H264;
using LiveHost.WebRtc.Rtp.Opus;
using LiveHost.WebRtc.Rtp.Tests.Support;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class PacketizingAllocationTests : IClassFixture<H264TestStream>
{
    private readonly H264TestStream _stream;
    private readonly ITestOutputHelper _output;

    public PacketizingAllocationTests(H264TestStream stream, ITestOutputHelper output)
    {
        _stream = stream;
        _output = output;
    }

    [Fact]
    public void Packetizing_a_thousand_access_units_allocates_nothing_per_packet()
    {
        var packetizer = new H264Packetizer(new RtpOutboundStream(1, 102, 0));
        packetizer.SetParameterSets(_stream.Sps, _stream.Pps);
        var sink = new CountingPacketSink();
        var units = _stream.AccessUnits.Select(u => (Data: u.ToAvcc(), u.IsKeyframe)).ToArray();

        long Run(int accessUnits)
        {
            long packets = 0;
            for (var i = 0; i < accessUnits; i++)
            {
                var (data, keyframe) = units[i % units.Length];
                if (!packetizer.TryPacketize(data, (uint)(i * 3600), keyframe, sink, out var count)) throw new InvalidOperationException("refused");
                packets += count;
            }
            return packets;
        }

        var warmUp = Run(200); // JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        var packetCount = Run(1_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"{packetCount} packets, {allocated} bytes allocated ({(double)allocated / packetCount:0.###} per packet)");

        Assert.True(packetCount > 1_000);
        Assert.Equal(warmUp + packetCount, sink.Count);
        Assert.True(allocated < packetCount / 10, $"{allocated} bytes for {packetCount} packets");
    }

    [Fact]
    public void Opus_packetizing_allocates_nothing_per_packet()
    {
        var packetizer = new OpusPacketizer(new RtpOutboundStream(2, 111, 0));
        var sink = new CountingPacketSink();
        var frame = new byte[160];
        for (var i = 0; i < 100; i++) packetizer.TryPacketize(frame, (uint)(i * 960), sink);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) packetizer.TryPacketize(frame, (uint)(i * 960), sink);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"10000 Opus packets, {allocated} bytes allocated");
        Assert.Equal(10_100, sink.Count);
        Assert.True(allocated < 1_000, $"{allocated} bytes");
    }
}
