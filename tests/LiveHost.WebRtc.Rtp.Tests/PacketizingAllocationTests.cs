using Concentus;
using Concentus.Enums;
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
    public void Packetizing_a_thousand_access_units_into_an_arena_and_retransmission_buffer_allocates_nothing_per_packet()
    {
        var packetizer = new H264Packetizer(new RtpOutboundStream(1, 102, 0));
        packetizer.SetParameterSets(_stream.Sps, _stream.Pps);
        var arena = new RtpPacketArena();
        var retransmission = new RetransmissionBuffer();
        var units = _stream.AccessUnits.Select(u => (Data: u.ToAvcc(), u.IsKeyframe)).ToArray();

        long Run(int accessUnits)
        {
            long packets = 0;
            for (var i = 0; i < accessUnits; i++)
            {
                var (data, keyframe) = units[i % units.Length];
                arena.Clear();
                if (!packetizer.TryPacketize(data, (uint)(i * 3600), keyframe, arena, out var count)) throw new InvalidOperationException("refused");
                for (var p = 0; p < arena.Count; p++) retransmission.Store(arena.GetPacket(p).Span);
                packets += count;
            }
            return packets;
        }

        Run(200); // warm-up: JIT, arena growth to the largest keyframe
        var before = GC.GetAllocatedBytesForCurrentThread();
        var packetCount = Run(1_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"{packetCount} packets, {allocated} bytes allocated ({(double)allocated / packetCount:0.###} per packet)");

        Assert.True(packetCount > 1_000);
        Assert.True(allocated < packetCount / 10, $"{allocated} bytes for {packetCount} packets");
    }

    [Fact]
    public void Opus_packetizing_allocates_nothing_per_packet()
    {
        var packetizer = new OpusPacketizer(new RtpOutboundStream(2, 111, 0));
        var arena = new RtpPacketArena();
        var frame = new byte[160];
        for (var i = 0; i < 100; i++) { arena.Clear(); packetizer.TryPacketize(frame, (uint)(i * 960), arena); }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) { arena.Clear(); packetizer.TryPacketize(frame, (uint)(i * 960), arena); }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"10000 Opus packets, {allocated} bytes allocated");
        Assert.True(allocated < 1_000, $"{allocated} bytes");
    }

    [Fact]
    public void Opus_encoder_stage_allocates_nothing_beyond_what_concentus_itself_does()
    {
        // Concentus, a managed port of libopus, allocates tens of kilobytes inside every Encode call (gen0 garbage
        // we cannot avoid short of native libopus). The stage must add nothing on top: same frames, same bytes.
        var tick = new float[1920];
        for (var i = 0; i < tick.Length; i++) tick[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 300 * i / 48_000));

        var encoder = OpusCodecFactory.CreateEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        var options = new OpusEncoderStageOptions();
        encoder.Bitrate = options.Bitrate;
        encoder.Complexity = options.Complexity;
        var packet = new byte[1275];
        for (var i = 0; i < 50; i++) encoder.Encode(tick.AsSpan(0, 960), 960, packet, packet.Length);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) encoder.Encode(tick.AsSpan(i % 2 * 960, 960), 960, packet, packet.Length);
        var codecPerFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        var stage = new OpusEncoderStage(options);
        var sink = new NullOpusSink();
        for (var i = 0; i < 25; i++) stage.Write(tick, sink);
        before = GC.GetAllocatedBytesForCurrentThread();
        var frames = 0;
        for (var i = 0; i < 50; i++) frames += stage.Write(tick, sink);
        var stagePerFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / frames;
        _output.WriteLine($"Concentus alone: {codecPerFrame} B/frame; through the stage: {stagePerFrame} B/frame");

        Assert.Equal(100, frames);
        Assert.True(stagePerFrame - codecPerFrame < 256, $"stage {stagePerFrame} B/frame against codec {codecPerFrame} B/frame");
    }

    private sealed class NullOpusSink : IOpusFrameSink
    {
        public void OnOpusFrame(ReadOnlySpan<byte> opusPacket, long samplePosition, int sampleCount)
        {
        }
    }
}
