using LiveHost.Media;

namespace LiveHost.Recording.Mp4;

/// <summary>
/// The head of a fragmented MP4 (ISO/IEC 14496-12 §8.8): <c>ftyp</c>, then a <c>moov</c> whose sample tables are
/// empty (the samples come in the fragments), with <c>mvex</c>/<c>trex</c> saying fragments follow, one H.264 track
/// (<c>avc1</c> + <c>avcC</c>, ISO/IEC 14496-15) and one AAC track (<c>mp4a</c> + <c>esds</c>, ISO/IEC 14496-14), and
/// the file's tags in <c>udta/meta/ilst</c>.
/// <code>
/// ftyp
/// moov ─ mvhd
///      ├ trak ─ tkhd, mdia ─ mdhd, hdlr 'vide', minf ─ vmhd, dinf, stbl ─ stsd ─ avc1 ─ avcC
///      ├ trak ─ tkhd, mdia ─ mdhd, hdlr 'soun', minf ─ smhd, dinf, stbl ─ stsd ─ mp4a ─ esds
///      ├ mvex ─ trex (video), trex (audio)
///      └ udta ─ meta ─ hdlr 'mdir', ilst ─ ©cmt, ---- (tags)
/// </code>
/// </summary>
internal static class Mp4InitSegment
{
    /// <summary>Seconds from 1904-01-01 (the MP4 epoch) to 1970-01-01.</summary>
    private const long Mp4EpochOffsetSeconds = 2_082_844_800;

    public static void Write(BoxWriter box, H264Config video, AacConfig audio, Mp4Tags tags, DateTimeOffset created)
    {
        var time = (uint)(created.ToUnixTimeSeconds() + Mp4EpochOffsetSeconds);
        box.Begin("ftyp");
        box.FourCc("isom");
        box.UInt32(0x200);
        foreach (var brand in new[] { "isom", "iso6", "avc1", "mp41" }) box.FourCc(brand);
        box.End();

        box.Begin("moov");
        MovieHeader(box, time);
        VideoTrack(box, video, time);
        AudioTrack(box, audio, time);
        box.Begin("mvex");
        TrackExtends(box, Mp4Tracks.VideoTrackId);
        TrackExtends(box, Mp4Tracks.AudioTrackId);
        box.End();
        Mp4TagWriter.Write(box, tags);
        box.End();
    }

    private static void MovieHeader(BoxWriter box, uint time)
    {
        box.BeginFull("mvhd", 0, 0);
        box.UInt32(time);
        box.UInt32(time);
        box.UInt32(1000); // timescale
        box.UInt32(0); // duration: unknown up front; the fragments carry it
        box.UInt32(0x0001_0000); // rate 1.0
        box.UInt16(0x0100); // volume 1.0
        box.Zeros(10);
        Matrix(box);
        box.Zeros(24); // pre_defined
        box.UInt32(Mp4Tracks.AudioTrackId + 1); // next_track_ID
        box.End();
    }

    private static void TrackHeader(BoxWriter box, uint trackId, uint time, bool audio, int width, int height)
    {
        box.BeginFull("tkhd", 0, 0x3); // track_enabled | track_in_movie
        box.UInt32(time);
        box.UInt32(time);
        box.UInt32(trackId);
        box.Zeros(4);
        box.UInt32(0); // duration
        box.Zeros(8);
        box.UInt16(0); // layer
        box.UInt16(0); // alternate_group
        box.UInt16(audio ? (ushort)0x0100 : (ushort)0);
        box.Zeros(2);
        Matrix(box);
        box.UInt32((uint)width << 16);
        box.UInt32((uint)height << 16);
        box.End();
    }

    private static void MediaHeader(BoxWriter box, uint time, uint timescale, string handler, string handlerName)
    {
        box.BeginFull("mdhd", 0, 0);
        box.UInt32(time);
        box.UInt32(time);
        box.UInt32(timescale);
        box.UInt32(0);
        box.UInt16(Mp4Tracks.UndeterminedLanguage);
        box.UInt16(0);
        box.End();
        box.BeginFull("hdlr", 0, 0);
        box.UInt32(0);
        box.FourCc(handler);
        box.Zeros(12);
        box.Utf8(handlerName);
        box.UInt8(0);
        box.End();
    }

    private static void VideoTrack(BoxWriter box, H264Config video, uint time) =>
        Track(box, Mp4Tracks.VideoTrackId, time, video.Width, video.Height, Mp4Tracks.VideoTimescale, "vide", "VideoHandler",
            mediaHeader: () =>
            {
                box.BeginFull("vmhd", 0, 1);
                box.Zeros(8);
                box.End();
            },
            sampleEntry: () =>
            {
                box.Begin("avc1");
                box.Zeros(6);
                box.UInt16(1); // data_reference_index
                box.Zeros(16); // pre_defined, reserved
                box.UInt16((ushort)video.Width);
                box.UInt16((ushort)video.Height);
                box.UInt32(0x0048_0000); // 72 dpi
                box.UInt32(0x0048_0000);
                box.Zeros(4);
                box.UInt16(1); // frame_count
                box.Zeros(32); // compressorname
                box.UInt16(0x0018); // depth
                box.UInt16(0xFFFF); // pre_defined = -1
                box.Begin("avcC");
                box.Bytes(video.DecoderConfigurationRecord);
                box.End();
                box.End();
            });

    private static void AudioTrack(BoxWriter box, AacConfig audio, uint time) =>
        Track(box, Mp4Tracks.AudioTrackId, time, 0, 0, (uint)audio.SampleRate, "soun", "SoundHandler",
            mediaHeader: () =>
            {
                box.BeginFull("smhd", 0, 0);
                box.Zeros(4);
                box.End();
            },
            sampleEntry: () =>
            {
                box.Begin("mp4a");
                box.Zeros(6);
                box.UInt16(1); // data_reference_index
                box.Zeros(8);
                box.UInt16((ushort)audio.Channels);
                box.UInt16(16); // samplesize
                box.Zeros(4);
                box.UInt32((uint)audio.SampleRate << 16);
                ElementaryStreamDescriptor(box, audio.AudioSpecificConfig);
                box.End();
            });

    /// <summary><c>trak</c> ─ tkhd, mdia ─ mdhd, hdlr, minf ─ (media header), dinf, stbl ─ stsd ─ (sample entry), empty tables.</summary>
    private static void Track(BoxWriter box, uint trackId, uint time, int width, int height, uint timescale, string handler, string handlerName,
        Action mediaHeader, Action sampleEntry)
    {
        box.Begin("trak");
        TrackHeader(box, trackId, time, audio: handler == "soun", width, height);
        box.Begin("mdia");
        MediaHeader(box, time, timescale, handler, handlerName);
        box.Begin("minf");
        mediaHeader();
        DataInformation(box);
        box.Begin("stbl");
        box.BeginFull("stsd", 0, 0);
        box.UInt32(1);
        sampleEntry();
        box.End();
        EmptySampleTables(box);
        box.End(); // stbl
        box.End(); // minf
        box.End(); // mdia
        box.End(); // trak
    }

    /// <summary><c>esds</c>: ES_Descriptor ⊃ DecoderConfigDescriptor (AAC, audio stream) ⊃ DecoderSpecificInfo (the AudioSpecificConfig), SLConfigDescriptor.</summary>
    private static void ElementaryStreamDescriptor(BoxWriter box, byte[] audioSpecificConfig)
    {
        var decoderSpecific = 2 + audioSpecificConfig.Length;
        var decoderConfig = 2 + 13 + decoderSpecific;
        var esDescriptor = 2 + 3 + decoderConfig + 3;
        if (esDescriptor - 2 > 127) throw new ArgumentException("the AudioSpecificConfig is too long", nameof(audioSpecificConfig));
        box.BeginFull("esds", 0, 0);
        box.UInt8(0x03); // ES_DescrTag
        box.UInt8((byte)(esDescriptor - 2));
        box.UInt16((ushort)Mp4Tracks.AudioTrackId); // ES_ID
        box.UInt8(0);
        box.UInt8(0x04); // DecoderConfigDescrTag
        box.UInt8((byte)(decoderConfig - 2));
        box.UInt8(0x40); // objectTypeIndication: MPEG-4 Audio
        box.UInt8((0x05 << 2) | 1); // streamType audio, upStream 0, reserved 1
        box.UInt24(0); // bufferSizeDB
        box.UInt32(0); // maxBitrate
        box.UInt32(0); // avgBitrate
        box.UInt8(0x05); // DecSpecificInfoTag
        box.UInt8((byte)audioSpecificConfig.Length);
        box.Bytes(audioSpecificConfig);
        box.UInt8(0x06); // SLConfigDescrTag
        box.UInt8(1);
        box.UInt8(0x02); // predefined: MP4
        box.End();
    }

    private static void DataInformation(BoxWriter box)
    {
        box.Begin("dinf");
        box.BeginFull("dref", 0, 0);
        box.UInt32(1);
        box.BeginFull("url ", 0, 1); // self-contained
        box.End();
        box.End();
        box.End();
    }

    private static void EmptySampleTables(BoxWriter box)
    {
        box.BeginFull("stts", 0, 0);
        box.UInt32(0);
        box.End();
        box.BeginFull("stsc", 0, 0);
        box.UInt32(0);
        box.End();
        box.BeginFull("stsz", 0, 0);
        box.UInt32(0);
        box.UInt32(0);
        box.End();
        box.BeginFull("stco", 0, 0);
        box.UInt32(0);
        box.End();
    }

    private static void TrackExtends(BoxWriter box, uint trackId)
    {
        box.BeginFull("trex", 0, 0);
        box.UInt32(trackId);
        box.UInt32(1); // default_sample_description_index
        box.UInt32(0);
        box.UInt32(0);
        box.UInt32(0);
        box.End();
    }

    private static void Matrix(BoxWriter box)
    {
        box.UInt32(0x0001_0000);
        box.Zeros(12);
        box.UInt32(0x0001_0000);
        box.Zeros(12);
        box.UInt32(0x4000_0000);
    }
}
