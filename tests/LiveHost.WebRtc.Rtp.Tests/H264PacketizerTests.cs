using System.Buffers.Binary;
using LiveHost.WebRtc.Rtp.H264;
using LiveHost.WebRtc.Rtp.Tests.Support;

namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class H264PacketizerTests : IClassFixture<H264TestStream>
{
    private const uint Ssrc = 0x11223344;
    private const byte PayloadType = 102;
    private readonly H264TestStream _stream;

    public H264PacketizerTests(H264TestStream stream) => _stream = stream;

    private H264Packetizer NewPacketizer(ushort firstSequence = 65_500, int maxPacketSize = 1200)
    {
        var packetizer = new H264Packetizer(new RtpOutboundStream(Ssrc, PayloadType, firstSequence), new H264PacketizerOptions { MaxPacketSize = maxPacketSize });
        packetizer.SetParameterSets(_stream.Sps, _stream.Pps);
        return packetizer;
    }

    private static int Type(byte[] nal) => nal[0] & 0x1F;

    private List<byte[]> ExpectedNalUnits(H264TestStream.AccessUnit unit)
    {
        var expected = new List<byte[]>();
        if (unit.IsKeyframe) expected.AddRange([_stream.Sps, _stream.Pps]);
        // AUD, SEI dropped; the in-band SPS/PPS equal to the configured ones already went in the STAP-A.
        expected.AddRange(unit.NalUnits.Where(n => Type(n) is not (6 or 9 or 7 or 8)));
        return expected;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Real_access_units_depacketize_to_the_same_nal_units_byte_for_byte(bool stripInBandParameterSets)
    {
        Assert.Contains(_stream.AccessUnits, u => u.IsKeyframe);
        Assert.Contains(_stream.AccessUnits, u => u.NalUnits.Any(n => n.Length > 1188)); // something to fragment
        Assert.Contains(_stream.AccessUnits, u => u.NalUnits.Any(n => Type(n) == 6));     // x264's SEI
        var packetizer = NewPacketizer();
        var sink = new CollectingPacketSink();
        var depacketizer = new H264TestDepacketizer();

        for (var i = 0; i < _stream.AccessUnits.Count; i++)
        {
            var unit = _stream.AccessUnits[i];
            var avcc = unit.ToAvcc(stripInBandParameterSets ? n => Type(n) is not (7 or 8) : null);
            sink.Packets.Clear();
            Assert.True(packetizer.TryPacketize(avcc, (uint)(i * 3600), unit.IsKeyframe, sink, out var count));
            Assert.Equal(sink.Packets.Count, count);
            Assert.All(sink.Packets, p => Assert.InRange(p.Length, 13, 1200));
            foreach (var packet in sink.Packets) depacketizer.Push(packet);
        }

        Assert.Equal(_stream.AccessUnits.Count, depacketizer.AccessUnits.Count);
        for (var i = 0; i < _stream.AccessUnits.Count; i++)
        {
            var (timestamp, nalUnits) = depacketizer.AccessUnits[i];
            Assert.Equal((uint)(i * 3600), timestamp);
            var expected = ExpectedNalUnits(_stream.AccessUnits[i]);
            Assert.Equal(expected.Count, nalUnits.Count);
            for (var n = 0; n < expected.Count; n++) Assert.Equal(expected[n], nalUnits[n]);
        }
    }

    [Fact]
    public void Keyframe_starts_with_a_stap_a_of_sps_and_pps_with_rfc6184_header_bits()
    {
        var keyframe = _stream.AccessUnits.First(u => u.IsKeyframe);
        var sink = new CollectingPacketSink();
        Assert.True(NewPacketizer().TryPacketize(keyframe.ToAvcc(), 1234, true, sink, out _));

        var stap = sink.Packets[0].AsSpan(RtpHeader.FixedSize);
        Assert.Equal(24, stap[0] & 0x1F);
        Assert.Equal(0, stap[0] & 0x80);
        Assert.Equal(Math.Max(_stream.Sps[0] & 0x60, _stream.Pps[0] & 0x60), stap[0] & 0x60);
        Assert.Equal(_stream.Sps.Length, BinaryPrimitives.ReadUInt16BigEndian(stap[1..]));
        Assert.True(stap.Slice(3, _stream.Sps.Length).SequenceEqual(_stream.Sps));
        var ppsAt = 3 + _stream.Sps.Length;
        Assert.Equal(_stream.Pps.Length, BinaryPrimitives.ReadUInt16BigEndian(stap[ppsAt..]));
        Assert.True(stap[(ppsAt + 2)..].SequenceEqual(_stream.Pps));

        Assert.True(RtpHeader.TryParse(sink.Packets[0], out var header, out _));
        Assert.False(header.Marker);
        Assert.Equal(PayloadType, header.PayloadType);
        Assert.Equal(Ssrc, header.Ssrc);
        Assert.Equal(1234u, header.Timestamp);
    }

    [Fact]
    public void Non_keyframe_has_no_parameter_sets_and_keyframe_without_configured_sets_has_no_stap_a()
    {
        var delta = _stream.AccessUnits.First(u => !u.IsKeyframe);
        var sink = new CollectingPacketSink();
        Assert.True(NewPacketizer().TryPacketize(delta.ToAvcc(), 0, false, sink, out _));
        Assert.DoesNotContain(sink.Packets, p => (p[12] & 0x1F) == 24);

        var unconfigured = new H264Packetizer(new RtpOutboundStream(Ssrc, PayloadType, 0));
        sink.Packets.Clear();
        var keyframe = _stream.AccessUnits.First(u => u.IsKeyframe);
        Assert.True(unconfigured.TryPacketize(keyframe.ToAvcc(), 0, true, sink, out _));
        Assert.DoesNotContain(sink.Packets, p => (p[12] & 0x1F) == 24);
        // Without configured sets the in-band SPS/PPS are the decoder's only source, so they must go through.
        Assert.Contains(sink.Packets, p => (p[12] & 0x1F) == 7);
        Assert.Contains(sink.Packets, p => (p[12] & 0x1F) == 8);
    }

    [Fact]
    public void Nal_unit_exactly_filling_the_packet_goes_as_one_single_nal_packet_of_max_size()
    {
        var nal = MakeNal(0x65, 1200 - RtpHeader.FixedSize);
        var sink = new CollectingPacketSink();
        Assert.True(NewPacketizer().TryPacketize(Avcc(nal), 0, false, sink, out var count));
        Assert.Equal(1, count);
        Assert.Equal(1200, sink.Packets[0].Length);
        Assert.True(sink.Packets[0].AsSpan(12).SequenceEqual(nal));
        Assert.True((sink.Packets[0][1] & 0x80) != 0);
    }

    [Fact]
    public void Nal_unit_one_byte_over_is_fragmented_into_fu_a_with_start_end_nri_and_type()
    {
        var nal = MakeNal(0x65, 1200 - RtpHeader.FixedSize + 1); // NRI 3, IDR
        var sink = new CollectingPacketSink();
        Assert.True(NewPacketizer().TryPacketize(Avcc(nal), 0, false, sink, out var count));
        Assert.Equal(2, count);
        var first = sink.Packets[0];
        var last = sink.Packets[1];
        Assert.Equal(1200, first.Length);
        Assert.Equal(0x60 | 28, first[12]);          // FU indicator: F=0, NRI from the NAL, type 28
        Assert.Equal(0x80 | 5, first[13]);           // FU header: S=1, E=0, R=0, type 5
        Assert.Equal(0x60 | 28, last[12]);
        Assert.Equal(0x40 | 5, last[13]);            // S=0, E=1
        Assert.Equal(0, first[1] & 0x80);            // marker only on the last packet
        Assert.NotEqual(0, last[1] & 0x80);
        var rebuilt = new[] { nal[0] }.Concat(first.Skip(14)).Concat(last.Skip(14)).ToArray();
        Assert.Equal(nal, rebuilt);
    }

    [Fact]
    public void Large_nal_unit_fragments_all_fit_and_middle_fragments_have_neither_start_nor_end()
    {
        var nal = MakeNal(0x41, 5000); // NRI 2, non-IDR slice
        var sink = new CollectingPacketSink();
        Assert.True(NewPacketizer(maxPacketSize: 600).TryPacketize(Avcc(nal), 0, false, sink, out var count));
        Assert.Equal((int)Math.Ceiling((5000 - 1) / (double)(600 - 14)), count);
        for (var i = 1; i < count - 1; i++)
        {
            Assert.Equal(0x40 | 28, sink.Packets[i][12]);
            Assert.Equal(1, sink.Packets[i][13]);
        }
        Assert.All(sink.Packets, p => Assert.True(p.Length <= 600));
    }

    [Fact]
    public void Tiny_nal_units_each_get_a_packet_with_consecutive_sequence_numbers_and_marker_on_the_last()
    {
        byte[][] nals = [[0x41], [0x41, 0x9A], [0x01, 0x02, 0x03]];
        var sink = new CollectingPacketSink();
        Assert.True(NewPacketizer(firstSequence: 65_534).TryPacketize(Avcc(nals), 77, false, sink, out var count));
        Assert.Equal(3, count);
        ushort[] expectedSequence = [65_534, 65_535, 0];
        for (var i = 0; i < 3; i++)
        {
            Assert.True(RtpHeader.TryParsePacket(sink.Packets[i], out var header, out var payload));
            Assert.Equal(expectedSequence[i], header.SequenceNumber);
            Assert.Equal(i == 2, header.Marker);
            Assert.True(payload.SequenceEqual(nals[i]));
        }
    }

    [Fact]
    public void Aud_and_sei_are_dropped_and_the_marker_moves_to_the_last_sent_packet()
    {
        byte[][] nals = [[0x09, 0xF0], [0x41, 0x01, 0x02], [0x06, 0x05, 0x01, 0x80]];
        var sink = new CollectingPacketSink();
        Assert.True(NewPacketizer().TryPacketize(Avcc(nals), 0, false, sink, out var count));
        Assert.Equal(1, count);
        Assert.Equal(0x41, sink.Packets[0][12]);
        Assert.NotEqual(0, sink.Packets[0][1] & 0x80);

        var keeping = new H264Packetizer(new RtpOutboundStream(1, 96, 0), new H264PacketizerOptions { DropNonEssentialNalUnits = false });
        sink.Packets.Clear();
        Assert.True(keeping.TryPacketize(Avcc(nals), 0, false, sink, out count));
        Assert.Equal(3, count);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]                    // truncated length
    [InlineData(new byte[] { 0, 0, 0, 5, 0x41, 1 })]        // length past the end
    [InlineData(new byte[] { 0, 0, 0, 0 })]                 // zero-length NAL
    [InlineData(new byte[] { 0, 0, 0, 1, 0x41, 0, 0 })]     // trailing garbage
    public void Malformed_avcc_is_refused_without_writing_a_packet(byte[] accessUnit)
    {
        var sink = new CollectingPacketSink();
        var packetizer = NewPacketizer(firstSequence: 10);
        Assert.False(packetizer.TryPacketize(accessUnit, 0, true, sink, out var count));
        Assert.Equal(0, count);
        Assert.Empty(sink.Packets);
        Assert.Equal(10, packetizer.Stream.NextSequenceNumber);
    }

    [Fact]
    public void Random_access_units_never_throw_and_valid_packets_stay_within_the_mtu()
    {
        var random = new Random(6184);
        var packetizer = NewPacketizer();
        var sink = new CollectingPacketSink();
        var valid = 0;
        for (var i = 0; i < 5_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 64)];
                random.NextBytes(input);
            }
            else
            {
                var nals = Enumerable.Range(0, random.Next(1, 5)).Select(_ => MakeNal((byte)random.Next(256), random.Next(1, 3000))).ToArray();
                input = Avcc(nals);
            }
            sink.Packets.Clear();
            if (packetizer.TryPacketize(input, 0, random.Next(2) == 0, sink, out _)) valid++;
            foreach (var packet in sink.Packets) Assert.InRange(packet.Length, 13, 1200);
        }
        Assert.InRange(valid, 2_500, 5_000);
    }

    [Fact]
    public void Stream_counters_follow_packets_and_payload_octets()
    {
        var packetizer = NewPacketizer();
        var sink = new CollectingPacketSink();
        foreach (var unit in _stream.AccessUnits.Take(5)) Assert.True(packetizer.TryPacketize(unit.ToAvcc(), 0, unit.IsKeyframe, sink, out _));
        Assert.Equal(sink.Packets.Count, packetizer.Stream.PacketCount);
        Assert.Equal(sink.Packets.Sum(p => p.Length - RtpHeader.FixedSize), packetizer.Stream.OctetCount);
    }

    internal static byte[] MakeNal(byte header, int length)
    {
        var nal = new byte[length];
        for (var i = 1; i < length; i++) nal[i] = (byte)(i * 7 + 3);
        nal[0] = header;
        return nal;
    }

    internal static byte[] Avcc(params byte[][] nals)
    {
        var result = new byte[nals.Sum(n => 4 + n.Length)];
        var offset = 0;
        foreach (var nal in nals)
        {
            BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(offset), nal.Length);
            nal.CopyTo(result, offset + 4);
            offset += 4 + nal.Length;
        }
        return result;
    }
}
