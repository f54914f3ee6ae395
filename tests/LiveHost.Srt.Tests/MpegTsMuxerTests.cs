using System.Buffers;
using System.Buffers.Binary;
using LiveHost.Media;
using LiveHost.Media.Codecs;
using LiveHost.Srt.MpegTs;
using Xunit;

namespace LiveHost.Srt.Tests;

public sealed class Crc32Mpeg2Tests
{
    [Fact]
    public void Crc_of_the_check_string_is_the_catalogued_value() =>
        Assert.Equal(0x0376E6E7u, Crc32Mpeg2.Compute("123456789"u8));

    [Fact]
    public void Pat_and_pmt_sections_check_to_zero_with_their_crc()
    {
        var packet = new byte[TsPacket.Size];
        PsiTables.WritePat(packet, 0);
        // pointer_field 0, then section_length bytes after the 3-byte section header.
        var patLength = ((packet[6] & 0x0F) << 8) | packet[7];
        Assert.Equal(13, patLength);
        Assert.Equal(0u, Crc32Mpeg2.Compute(packet.AsSpan(5, 3 + patLength)));
        Assert.Equal(TsPacket.PmtPid, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(15)) & 0x1FFF);

        PsiTables.WritePmt(packet, 0);
        var pmtLength = ((packet[6] & 0x0F) << 8) | packet[7];
        Assert.Equal(0u, Crc32Mpeg2.Compute(packet.AsSpan(5, 3 + pmtLength)));
        Assert.Equal((PsiTables.StreamTypeH264, PsiTables.StreamTypeAacAdts), (packet[17], packet[22]));
    }
}

public sealed class MpegTsMuxerTests
{
    private static readonly H264Config Video = new([0x67, 0x42, 0xC0, 0x1E, 0xAA], [0x68, 0xCE, 0x3C, 0x80], [], 320, 240);
    // AAC-LC (object type 2), 48 kHz (index 3), mono: 00010 0011 0001 000 = 0x11 0x88.
    private static readonly AacConfig Audio = new([0x11, 0x88], 48_000, 1);

    private static byte[] Avcc(params byte[][] units)
    {
        var result = new List<byte>();
        foreach (var unit in units)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, unit.Length);
            result.AddRange(length);
            result.AddRange(unit);
        }
        return [.. result];
    }

    [Fact]
    public void Adts_header_for_aac_lc_48k_mono_matches_the_spec_layout()
    {
        var header = new byte[AdtsHeaderWriter.Size];
        AdtsHeaderWriter.Write(header, Audio, 100);
        // profile 1 (LC), index 3, channel config 1, frame_length 107.
        Assert.Equal(new byte[] { 0xFF, 0xF1, 0x4C, 0x40, 0x0D, 0x7F, 0xFC }, header);
    }

    [Fact]
    public void A_keyframe_starts_with_pat_and_pmt_then_a_video_pes_with_pcr_random_access_and_the_delayed_pts()
    {
        var muxer = new MpegTsMuxer();
        var output = new ArrayBufferWriter<byte>();
        var idr = new byte[1000];
        idr[0] = 0x65;
        muxer.WriteVideo(output, 9000, keyframe: true, Avcc(idr), Video);
        var bytes = output.WrittenSpan.ToArray();

        Assert.Equal(0, bytes.Length % TsPacket.Size);
        var pids = new List<ushort>();
        for (var offset = 0; offset < bytes.Length; offset += TsPacket.Size)
        {
            Assert.True(TsPacket.TryReadHeader(bytes.AsSpan(offset, TsPacket.Size), out var pid, out _, out _, out _));
            pids.Add(pid);
        }
        Assert.Equal([TsPacket.PatPid, TsPacket.PmtPid], pids.Take(2));
        Assert.All(pids.Skip(2), pid => Assert.Equal(TsPacket.VideoPid, pid));

        var first = bytes.AsSpan(2 * TsPacket.Size, TsPacket.Size);
        Assert.True(TsPacket.TryReadHeader(first, out _, out var start, out var afc, out var cc));
        Assert.Equal((true, 3, 0), (start, afc, cc));
        Assert.Equal(7, first[4]); // adaptation field length: flags + PCR
        Assert.Equal(0x50, first[5]); // random_access_indicator + PCR_flag
        var pcrBase = ((long)first[6] << 25) | ((long)first[7] << 17) | ((long)first[8] << 9) | ((long)first[9] << 1) | ((long)first[10] >> 7);
        Assert.Equal(9000, pcrBase);
        var payload = TsPacket.Payload(first);
        Assert.True(PesHeader.TryReadPts(payload, out var pts));
        Assert.Equal(9000 + MpegTsMuxer.PtsDelay, pts);
        // Annex B: access unit delimiter, SPS, PPS, then the IDR slice.
        var es = payload[PesHeader.Size..];
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 1, 0x67 }, es[..11].ToArray());
    }

    [Fact]
    public void Continuity_counters_run_per_pid_and_the_last_packet_of_a_pes_is_stuffed()
    {
        var muxer = new MpegTsMuxer();
        var output = new ArrayBufferWriter<byte>();
        var slice = new byte[500];
        slice[0] = 0x41;
        muxer.WriteVideo(output, 0, keyframe: true, Avcc(slice), Video);
        for (var i = 1; i <= 20; i++)
        {
            muxer.WriteAudio(output, i * 1920, new byte[150 + i], Audio);
            muxer.WriteVideo(output, i * 3600, keyframe: false, Avcc(slice), Video);
        }
        var bytes = output.WrittenSpan.ToArray();
        var expected = new Dictionary<ushort, int>();
        var audioPayload = 0;
        for (var offset = 0; offset < bytes.Length; offset += TsPacket.Size)
        {
            var packet = bytes.AsSpan(offset, TsPacket.Size);
            Assert.True(TsPacket.TryReadHeader(packet, out var pid, out var start, out _, out var cc));
            if (expected.TryGetValue(pid, out var next)) Assert.Equal(next, cc);
            expected[pid] = (cc + 1) & 0x0F;
            if (pid == TsPacket.AudioPid) audioPayload += TsPacket.Payload(packet).Length;
        }
        Assert.Equal(muxer.NextCounter(TsPacket.VideoPid), expected[TsPacket.VideoPid]);
        Assert.Equal(muxer.NextCounter(TsPacket.AudioPid), expected[TsPacket.AudioPid]);
        // Every audio PES is exactly header + ADTS + frame: stuffing went into adaptation fields, not the payload.
        Assert.Equal(Enumerable.Range(1, 20).Sum(i => PesHeader.Size + AdtsHeaderWriter.Size + 150 + i), audioPayload);
    }

    [Fact]
    public void An_access_unit_that_is_not_avcc_is_refused()
    {
        var muxer = new MpegTsMuxer();
        Assert.Throws<ArgumentException>(() => muxer.WriteVideo(new ArrayBufferWriter<byte>(), 0, true, new byte[] { 0, 0, 0, 9, 0x65 }, Video));
    }

    [Fact]
    public void Muxing_a_frame_in_steady_state_allocates_nothing()
    {
        var muxer = new MpegTsMuxer();
        var output = new ArrayBufferWriter<byte>(1 << 20);
        var frame = Avcc(new byte[20_000]);
        frame[4] = 0x41;
        var aac = new byte[300];
        muxer.WriteVideo(output, 0, true, frame, Video);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            output.ResetWrittenCount();
            muxer.WriteVideo(output, i * 3600, false, frame, Video);
            muxer.WriteAudio(output, i * 1920, aac, Audio);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

public sealed class TsPacketFuzzTests
{
    [Fact]
    public void The_packet_parser_never_throws_on_random_or_truncated_input()
    {
        var random = new Random(19);
        var seeds = new List<byte[]>();
        var muxed = new ArrayBufferWriter<byte>();
        var muxer = new MpegTsMuxer();
        muxer.WriteAudio(muxed, 0, new byte[400], new AacConfig([0x11, 0x88], 48_000, 1));
        for (var offset = 0; offset < muxed.WrittenCount; offset += TsPacket.Size) seeds.Add(muxed.WrittenSpan.Slice(offset, TsPacket.Size).ToArray());
        for (var i = 0; i < 20_000; i++)
        {
            var input = i % 2 == 0 ? (byte[])seeds[random.Next(seeds.Count)].Clone() : new byte[random.Next(0, 400)];
            if (i % 2 == 0)
            {
                for (var flips = random.Next(1, 8); flips > 0; flips--) input[random.Next(input.Length)] = (byte)random.Next(256);
            }
            else
            {
                random.NextBytes(input);
                if (input.Length > 0 && random.Next(2) == 0) input[0] = TsPacket.SyncByte;
            }
            var ok = TsPacket.TryReadHeader(input, out _, out _, out _, out _);
            var payload = TsPacket.Payload(input);
            Assert.True(payload.Length <= TsPacket.Size - TsPacket.HeaderSize);
            if (!ok) Assert.True(payload.IsEmpty);
            PesHeader.TryReadPts(input, out _);
        }
    }
}
