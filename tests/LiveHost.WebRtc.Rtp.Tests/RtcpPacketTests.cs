using System.Buffers.Binary;
using LiveHost.WebRtc.Rtp.Rtcp;
using LiveHost.WebRtc.Rtp.Timing;

namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class RtcpPacketTests
{
    internal const uint Viewer = 0x0A0B0C0D;
    internal const uint Video = 0x11223344;

    // RFC 4585 §6.2.1: V=2 P=0 FMT=1, PT=RTPFB=205, length 3; sender SSRC, media SSRC; PID 0x1234, BLP 0b101.
    internal static readonly byte[] Nack =
    [
        0x81, 205, 0, 3,
        0x0A, 0x0B, 0x0C, 0x0D,
        0x11, 0x22, 0x33, 0x44,
        0x12, 0x34, 0x00, 0x05,
    ];

    // RFC 4585 §6.3.1: FMT=1, PT=PSFB=206, no FCI.
    internal static readonly byte[] Pli = [0x81, 206, 0, 2, 0x0A, 0x0B, 0x0C, 0x0D, 0x11, 0x22, 0x33, 0x44];

    // RFC 5104 §4.3.1: FMT=4, PT=206, media SSRC 0; FCI: SSRC of the sender asked, seq nr 7, reserved.
    internal static readonly byte[] Fir = [0x84, 206, 0, 4, 0x0A, 0x0B, 0x0C, 0x0D, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 7, 0, 0, 0];

    // draft-alvestrand-rmcat-remb: PSFB FMT=15, "REMB", 1 SSRC, exp/mantissa, SSRC.
    internal static readonly byte[] Remb = [0x8F, 206, 0, 5, 0x0A, 0x0B, 0x0C, 0x0D, 0, 0, 0, 0, (byte)'R', (byte)'E', (byte)'M', (byte)'B', 1, 0x0A, 0x12, 0x34, 0x11, 0x22, 0x33, 0x44];

    // Transport-wide CC: RTPFB FMT=15 with a made-up (but well-sized) feedback body.
    internal static readonly byte[] Twcc = [0x8F, 205, 0, 4, 0x0A, 0x0B, 0x0C, 0x0D, 0x11, 0x22, 0x33, 0x44, 0, 1, 0, 2, 0, 0, 1, 0];

    internal static readonly byte[] Bye = [0x81, 203, 0, 1, 0x0A, 0x0B, 0x0C, 0x0D];

    internal static byte[] ReceiverReport()
    {
        var packet = new byte[32];
        RtcpHeader.For(RtcpPacketType.ReceiverReport, 1, 32).WriteTo(packet);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), Viewer);
        new RtcpReportBlock(Video, 25, -3, 0x0001FFFF, 1234, 0xAABBCCDD, 65536).WriteTo(packet.AsSpan(8));
        return packet;
    }

    private static RtcpPacket ParseOne(byte[] bytes)
    {
        Assert.True(RtcpPacket.TryParse(bytes, out var packet, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        return packet;
    }

    [Fact]
    public void Generic_nack_gives_pid_and_every_blp_bit_as_lost_sequence_numbers()
    {
        var packet = ParseOne(Nack);
        Assert.Equal(RtcpPacketKind.GenericNack, packet.Kind);
        Assert.Equal(Viewer, packet.SenderSsrc);
        Assert.Equal(Video, packet.MediaSsrc);
        var lost = new List<ushort>();
        Assert.Equal(3, packet.AddLostSequenceNumbersTo(lost));
        Assert.Equal([0x1234, 0x1235, 0x1237], lost);
    }

    [Fact]
    public void Nack_with_several_entries_and_sequence_wrap()
    {
        byte[] bytes = [0x81, 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0xFF, 0xFF, 0x80, 0x01, 0x00, 0x10, 0, 0];
        var packet = ParseOne(bytes);
        var lost = new List<ushort>();
        foreach (var sequence in packet.LostSequenceNumbers) lost.Add(sequence);
        Assert.Equal([65535, 0, 15, 16], lost);
    }

    [Fact]
    public void Pli_fir_remb_twcc_bye_and_receiver_report_are_recognised()
    {
        var pli = ParseOne(Pli);
        Assert.Equal(RtcpPacketKind.PictureLossIndication, pli.Kind);
        Assert.Equal(Video, pli.MediaSsrc);

        var fir = ParseOne(Fir);
        Assert.Equal(RtcpPacketKind.FullIntraRequest, fir.Kind);
        var entries = new List<RtcpFirEntry>();
        foreach (var entry in fir.FirEntries) entries.Add(entry);
        Assert.Equal([new RtcpFirEntry(Video, 7)], entries);

        Assert.Equal(RtcpPacketKind.ReceiverEstimatedMaxBitrate, ParseOne(Remb).Kind);
        Assert.Equal(RtcpPacketKind.TransportWideCongestionControl, ParseOne(Twcc).Kind);

        var bye = ParseOne(Bye);
        Assert.Equal(RtcpPacketKind.Goodbye, bye.Kind);
        var leaving = new List<uint>();
        foreach (var ssrc in bye.GoodbyeSsrcs) leaving.Add(ssrc);
        Assert.Equal([Viewer], leaving);

        var rr = ParseOne(ReceiverReport());
        Assert.Equal(RtcpPacketKind.ReceiverReport, rr.Kind);
        Assert.Equal(Viewer, rr.SenderSsrc);
        var blocks = new List<RtcpReportBlock>();
        foreach (var block in rr.ReportBlocks) blocks.Add(block);
        Assert.Equal([new RtcpReportBlock(Video, 25, -3, 0x0001FFFF, 1234, 0xAABBCCDD, 65536)], blocks);
    }

    [Fact]
    public void Sender_report_with_cname_round_trips_through_the_compound_reader()
    {
        var wallClock = new DateTimeOffset(2025, 6, 1, 12, 0, 0, 500, TimeSpan.Zero);
        var report = new RtcpSenderReport(Video, NtpTimestamp.FromDateTimeOffset(wallClock), 0xCAFEBABE, 1000, 1_234_567);
        var buffer = new byte[128];
        var length = report.WriteCompoundWithCname(buffer, "livehost-main");
        Assert.Equal(report.GetCompoundSize("livehost-main"), length);
        Assert.Equal(0, length % 4);

        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.TryReadNext(out var sr));
        Assert.Equal(RtcpPacketKind.SenderReport, sr.Kind);
        Assert.True(sr.TryGetSenderReport(out var parsed));
        Assert.Equal(report, parsed);
        Assert.Equal(wallClock, parsed.NtpTimestamp.ToDateTimeOffset());
        Assert.True(reader.TryReadNext(out var sdes));
        Assert.Equal(RtcpPacketKind.SourceDescription, sdes.Kind);
        Assert.Equal(Video, sdes.SenderSsrc);
        // Chunk: SSRC, CNAME item (type 1, length, text), then zero octets to the word boundary.
        Assert.Equal(1, sdes.Body[4]);
        Assert.Equal("livehost-main", System.Text.Encoding.UTF8.GetString(sdes.Body.Slice(6, sdes.Body[5])));
        Assert.True(sdes.Body[(6 + sdes.Body[5])..].ToArray().All(b => b == 0));
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);

        // Exactly the layout of RFC 3550 §6.4.1.
        Assert.Equal(new byte[] { 0x80, 200, 0, 6 }, buffer[..4]);
        Assert.Equal(0xCAFEBABE, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(16)));
        Assert.Equal(1000u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(20)));
    }

    [Theory]
    [InlineData("a")]     // 1 + 2 = 3 octets of item: one zero to 4
    [InlineData("ab")]    // 4 octets of item: a whole extra word of zeros, since the list must end in a zero
    [InlineData("abcdef")]
    public void Cname_chunk_always_ends_with_at_least_one_zero_and_fills_whole_words(string cname)
    {
        var buffer = new byte[64];
        var length = RtcpSourceDescription.WriteCname(buffer, 1, cname);
        Assert.Equal(0, length % 4);
        Assert.Equal(0, buffer[length - 1]);
        Assert.Equal(8 + ((2 + cname.Length + 4) & ~3), length);
    }

    [Fact]
    public void Compound_of_every_kind_reads_in_order()
    {
        var compound = ReceiverReport().Concat(Nack).Concat(Pli).Concat(Fir).Concat(Remb).Concat(Twcc).Concat(Bye).ToArray();
        var kinds = new List<RtcpPacketKind>();
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out var packet)) kinds.Add(packet.Kind);
        Assert.False(reader.IsMalformed);
        Assert.Equal(
            [RtcpPacketKind.ReceiverReport, RtcpPacketKind.GenericNack, RtcpPacketKind.PictureLossIndication, RtcpPacketKind.FullIntraRequest,
             RtcpPacketKind.ReceiverEstimatedMaxBitrate, RtcpPacketKind.TransportWideCongestionControl, RtcpPacketKind.Goodbye],
            kinds);
    }

    [Fact]
    public void Padded_packet_is_read_without_its_padding()
    {
        byte[] padded = [0xA1, 206, 0, 3, 0x0A, 0x0B, 0x0C, 0x0D, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 4];
        var packet = ParseOne(padded);
        Assert.Equal(RtcpPacketKind.PictureLossIndication, packet.Kind);
        Assert.Equal(8, packet.Body.Length);
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "version 1", [0x41, 206, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "length past the end", [0x81, 206, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "three bytes", [0x81, 206, 0] },
        { "feedback without media SSRC", [0x81, 206, 0, 1, 0, 0, 0, 0] },
        { "NACK with no FCI", [0x81, 205, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "FIR with half an entry", [0x84, 206, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4] },
        { "RR claiming a block it lacks", [0x81, 201, 0, 1, 0, 0, 0, 1] },
        { "SR too short", [0x80, 200, 0, 1, 0, 0, 0, 1] },
        { "BYE claiming two SSRCs", [0x82, 203, 0, 1, 0, 0, 0, 1] },
        { "padding count zero", [0xA1, 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0] },
        { "padding past the body", [0xA1, 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 40] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_packets_are_refused(string why, byte[] bytes)
    {
        Assert.False(RtcpPacket.TryParse(bytes, out _, out _), why);
        var reader = new RtcpCompoundReader(Pli.Concat(bytes).ToArray());
        Assert.True(reader.TryReadNext(out _));
        Assert.False(reader.TryReadNext(out _));
        Assert.True(reader.IsMalformed, why);
    }
}
