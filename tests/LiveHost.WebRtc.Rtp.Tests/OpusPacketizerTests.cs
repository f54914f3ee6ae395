using LiveHost.WebRtc.Rtp.Opus;
using LiveHost.WebRtc.Rtp.Tests.Support;
using LiveHost.WebRtc.Rtp.Timing;

namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class OpusPacketizerTests
{
    [Fact]
    public void Encoded_frames_packetize_as_rfc7587_rtp_with_48khz_timestamps_and_no_marker()
    {
        var clock = RtpStreamClock.ForAudio(initialTimestamp: uint.MaxValue - 1000);
        var packetizer = new OpusPacketizer(new RtpOutboundStream(0xA0D10, 111, 500));
        var sink = new CollectingPacketSink();
        // Five 20 ms Opus packets as an encoder would hand them over (the payload is opaque to the packetizer).
        var frames = Enumerable.Range(0, 5).Select(i => (Packet: Enumerable.Range(0, 100 + i).Select(b => (byte)(b * 7 + i)).ToArray(), Position: i * 960L)).ToArray();
        foreach (var (packet, position) in frames) Assert.True(packetizer.TryPacketize(packet, clock.FromSamples48k(position), sink));

        Assert.Equal(5, sink.Packets.Count);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(RtpHeader.TryParsePacket(sink.Packets[i], out var header, out var payload));
            Assert.False(header.Marker);
            Assert.Equal(111, header.PayloadType);
            Assert.Equal(0xA0D10u, header.Ssrc);
            Assert.Equal((ushort)(500 + i), header.SequenceNumber);
            Assert.Equal(unchecked(uint.MaxValue - 1000 + (uint)(i * 960)), header.Timestamp);
            Assert.True(payload.SequenceEqual(frames[i].Packet));
        }
        Assert.False(packetizer.TryPacketize([], 0, sink));
        Assert.False(packetizer.TryPacketize(new byte[1276], 0, sink));
    }
}
