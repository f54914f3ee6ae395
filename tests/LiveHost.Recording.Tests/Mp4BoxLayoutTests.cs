using System.Text;
using LiveHost.Media;
using LiveHost.Recording.Mp4;

namespace LiveHost.Recording.Tests;

/// <summary>The fragmented MP4 boxes as ISO/IEC 14496-12 lays them out, checked byte by byte on small made-up samples.</summary>
public sealed class Mp4BoxLayoutTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];
    private static readonly byte[] Asc = [0x11, 0x88];
    private static readonly H264Config Video = new(Sps, Pps, TestSupport.SyntheticStream.BuildDecoderConfigurationRecord(Sps, Pps), 320, 240);
    private static readonly AacConfig Audio = new(Asc, 48_000, 1);

    private static byte[] Init(Mp4Tags tags)
    {
        var box = new BoxWriter();
        Mp4InitSegment.Write(box, Video, Audio, tags, new DateTimeOffset(2026, 12, 3, 19, 0, 0, TimeSpan.Zero));
        return box.WrittenSpan.ToArray();
    }

    [Fact]
    public void The_init_segment_is_ftyp_then_a_moov_with_two_tracks_mvex_and_the_tags()
    {
        var top = Mp4Box.Children(Init(new Mp4Tags("c", [])));
        Assert.Equal(["ftyp", "moov"], top.Select(b => b.Type));
        Assert.Equal("isom", Encoding.ASCII.GetString(top[0].Body, 0, 4));
        Assert.Equal(["mvhd", "trak", "trak", "mvex", "udta"], top[1].Children().Select(b => b.Type));
        var mvex = top[1].Child("mvex");
        Assert.Equal([1u, 2u], mvex.Children().Select(t => t.UInt32At(4)));
    }

    [Fact]
    public void The_video_sample_entry_is_avc1_carrying_the_encoders_decoder_configuration_record_verbatim()
    {
        var moov = Mp4Box.Children(Init(Mp4Tags.None))[1];
        var trak = moov.Children().First(b => b.Type == "trak");
        Assert.Equal(1u, trak.Child("tkhd").UInt32At(12));
        var mdia = trak.Child("mdia");
        Assert.Equal(90_000u, mdia.Child("mdhd").UInt32At(12));
        Assert.Equal("vide", Encoding.ASCII.GetString(mdia.Child("hdlr").Body, 8, 4));
        var stsd = mdia.Child("minf").Child("stbl").Child("stsd");
        var avc1 = stsd.Child("avc1", headerBytes: 8);
        Assert.Equal(320, (avc1.Body[24] << 8) | avc1.Body[25]);
        Assert.Equal(240, (avc1.Body[26] << 8) | avc1.Body[27]);
        Assert.Equal(Video.DecoderConfigurationRecord, avc1.Child("avcC", headerBytes: 78).Body);
    }

    [Fact]
    public void The_audio_sample_entry_is_mp4a_with_an_esds_holding_the_AudioSpecificConfig()
    {
        var moov = Mp4Box.Children(Init(Mp4Tags.None))[1];
        var trak = moov.Children().Where(b => b.Type == "trak").ElementAt(1);
        var mdia = trak.Child("mdia");
        Assert.Equal(48_000u, mdia.Child("mdhd").UInt32At(12));
        var mp4a = mdia.Child("minf").Child("stbl").Child("stsd").Child("mp4a", headerBytes: 8);
        Assert.Equal(48_000u, mp4a.UInt32At(24) >> 16);
        var esds = mp4a.Child("esds", headerBytes: 28).Body;
        // version/flags, ES_Descriptor (tag 3) > DecoderConfigDescriptor (tag 4, MPEG-4 audio 0x40) > DecSpecificInfo (tag 5).
        Assert.Equal(0x03, esds[4]);
        Assert.Equal(0x04, esds[9]);
        Assert.Equal(0x40, esds[11]);
        Assert.Equal(0x05, esds[24]);
        Assert.Equal(Asc.Length, esds[25]);
        Assert.Equal(Asc, esds[26..(26 + Asc.Length)]);
    }

    [Fact]
    public void Tags_are_an_ilst_with_a_copyright_sign_cmt_item_and_an_itunes_freeform_item()
    {
        var moov = Mp4Box.Children(Init(new Mp4Tags("the comment", [new("AIGC", "{\"Label\":\"1\"}")])))[1];
        var meta = moov.Child("udta").Child("meta", headerBytes: 0);
        var metaChildren = Mp4Box.Children(meta.Body, 4);
        Assert.Equal(["hdlr", "ilst"], metaChildren.Select(b => b.Type));
        Assert.Equal("mdir", Encoding.ASCII.GetString(metaChildren[0].Body, 8, 4));
        var items = metaChildren[1].Children();
        Assert.Equal(["\u00A9cmt", "----"], items.Select(b => b.Type));
        var comment = items[0].Child("data");
        Assert.Equal(1u, comment.UInt32At(0));
        Assert.Equal("the comment", Encoding.UTF8.GetString(comment.Body, 8, comment.Body.Length - 8));
        var freeform = items[1].Children();
        Assert.Equal(["mean", "name", "data"], freeform.Select(b => b.Type));
        Assert.Equal("AIGC", Encoding.UTF8.GetString(freeform[1].Body, 4, freeform[1].Body.Length - 4));
        Assert.Equal("{\"Label\":\"1\"}", Encoding.UTF8.GetString(freeform[2].Body, 8, freeform[2].Body.Length - 8));
    }

    [Fact]
    public void A_fragment_is_a_moof_whose_trun_offsets_point_at_each_tracks_bytes_in_the_following_mdat()
    {
        var fragment = new Mp4Fragment();
        byte[] key = [0, 0, 0, 2, 0x65, 0x88], delta = [0, 0, 0, 3, 0x41, 0x9A, 0x01], aac = [0x21, 0x10, 0x04];
        fragment.Add(new EncodedFrame(MediaKind.Video, 9_000, true, key, 0));
        fragment.Add(new EncodedFrame(MediaKind.Audio, 9_000, true, aac, 0));
        fragment.Add(new EncodedFrame(MediaKind.Video, 12_600, false, delta, 0));
        var box = new BoxWriter();
        fragment.WriteTo(box, sequence: 7, origin90k: 9_000, end90k: 16_200, audioSampleRate: 48_000);
        var bytes = box.WrittenSpan.ToArray();

        var top = Mp4Box.Children(bytes);
        Assert.Equal(["moof", "mdat"], top.Select(b => b.Type));
        var moof = top[0];
        Assert.Equal(7u, moof.Child("mfhd").UInt32At(4));
        var trafs = moof.Children().Where(b => b.Type == "traf").ToList();
        Assert.Equal(2, trafs.Count);

        var video = trafs[0];
        Assert.Equal(0x020000u, video.Child("tfhd").UInt32At(0) & 0xFFFFFF); // default-base-is-moof
        Assert.Equal(1u, video.Child("tfhd").UInt32At(4));
        Assert.Equal(0ul, ((ulong)video.Child("tfdt").UInt32At(4) << 32) | video.Child("tfdt").UInt32At(8));
        var trun = video.Child("trun");
        Assert.Equal(2u, trun.UInt32At(4));
        var videoOffset = (int)trun.UInt32At(8);
        // Per sample: duration, size, flags. Durations from the timestamps, the last up to the end given.
        Assert.Equal([3_600u, 6u, 0x0200_0000u], new[] { trun.UInt32At(12), trun.UInt32At(16), trun.UInt32At(20) });
        Assert.Equal([3_600u, 7u, 0x0101_0000u], new[] { trun.UInt32At(24), trun.UInt32At(28), trun.UInt32At(32) });
        Assert.Equal(key, bytes[videoOffset..(videoOffset + key.Length)]);
        Assert.Equal(delta, bytes[(videoOffset + key.Length)..(videoOffset + key.Length + delta.Length)]);

        var audio = trafs[1];
        Assert.Equal(2u, audio.Child("tfhd").UInt32At(4));
        var audioTrun = audio.Child("trun");
        Assert.Equal(1u, audioTrun.UInt32At(4));
        var audioOffset = (int)audioTrun.UInt32At(8);
        Assert.Equal(1024u, audioTrun.UInt32At(12));
        Assert.Equal(aac, bytes[audioOffset..(audioOffset + aac.Length)]);
        Assert.Equal(top[1].Offset + 8, videoOffset);
    }

    [Fact]
    public void Audio_times_are_converted_from_the_90_kHz_clock_to_the_audio_sample_rate()
    {
        var fragment = new Mp4Fragment();
        fragment.Add(new EncodedFrame(MediaKind.Video, 90_000, true, new byte[] { 0, 0, 0, 1, 0x65 }, 0));
        fragment.Add(new EncodedFrame(MediaKind.Audio, 90_000 + 1_920, true, new byte[] { 1 }, 0));
        fragment.Add(new EncodedFrame(MediaKind.Audio, 90_000 + 3_840, true, new byte[] { 2 }, 0));
        var box = new BoxWriter();
        fragment.WriteTo(box, 1, origin90k: 0, end90k: 93_600, audioSampleRate: 48_000);

        var audio = Mp4Box.Children(box.WrittenSpan.ToArray())[0].Children().Where(b => b.Type == "traf").ElementAt(1);
        // 1.021333 s at 48 kHz = 49 024 samples; 1920 ticks of 90 kHz = 1024 samples.
        Assert.Equal(49_024u, audio.Child("tfdt").UInt32At(8));
        Assert.Equal(1024u, audio.Child("trun").UInt32At(12));
    }
}
