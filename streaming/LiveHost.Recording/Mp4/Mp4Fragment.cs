using LiveHost.Media;

namespace LiveHost.Recording.Mp4;

/// <summary>
/// One movie fragment (ISO/IEC 14496-12 §8.8.4): the frames from one keyframe up to the next, written as
/// <c>moof</c> (a <c>traf</c> per track, each <c>tfhd</c> default-base-is-moof, <c>tfdt</c> and one <c>trun</c> with
/// every sample's duration, size and flags) followed by one <c>mdat</c> holding the video samples then the audio.
/// Each fragment decodes on its own, so a file cut after any whole fragment plays up to that fragment.
/// <code>
/// moof ─ mfhd (sequence)
///      ├ traf ─ tfhd (track 1), tfdt (start, 90 kHz), trun (offset → video bytes in mdat)
///      └ traf ─ tfhd (track 2), tfdt (start, audio rate), trun (offset → audio bytes in mdat)
/// mdat ─ video samples (AVCC, as the encoder made them), audio samples (raw AAC)
/// </code>
/// </summary>
internal sealed class Mp4Fragment
{
    private const uint DataOffsetPresent = 0x000001;
    private const uint SampleDurationPresent = 0x000100;
    private const uint SampleSizePresent = 0x000200;
    private const uint SampleFlagsPresent = 0x000400;
    private const uint DefaultBaseIsMoof = 0x020000;

    private readonly List<EncodedFrame> _video = [];
    private readonly List<EncodedFrame> _audio = [];

    public int VideoFrames => _video.Count;
    public int AudioFrames => _audio.Count;
    public bool IsEmpty => _video.Count == 0 && _audio.Count == 0;

    /// <summary>Bytes of media the fragment holds (its boxes add a few dozen bytes per frame).</summary>
    public long PayloadBytes { get; private set; }

    public void Add(EncodedFrame frame)
    {
        (frame.Kind == MediaKind.Video ? _video : _audio).Add(frame);
        PayloadBytes += frame.Data.Length;
    }

    public void Clear()
    {
        _video.Clear();
        _audio.Clear();
        PayloadBytes = 0;
    }

    /// <summary>
    /// Writes <c>moof</c> + <c>mdat</c> with times relative to <paramref name="origin90k"/> (the file's first keyframe).
    /// <paramref name="end90k"/> is where the fragment's video ends (the next keyframe, or the last frame plus one
    /// frame when the file closes), which gives the last video frame its duration.
    /// </summary>
    public void WriteTo(BoxWriter box, uint sequence, long origin90k, long end90k, int audioSampleRate)
    {
        var moof = box.Length;
        box.Begin("moof");
        box.BeginFull("mfhd", 0, 0);
        box.UInt32(sequence);
        box.End();
        var videoOffset = _video.Count > 0 ? TrackFragment(box, Mp4Tracks.VideoTrackId, _video, origin90k, 1, 1, end90k) : -1;
        var audioOffset = _audio.Count > 0 ? TrackFragment(box, Mp4Tracks.AudioTrackId, _audio, origin90k, audioSampleRate, Mp4Tracks.VideoTimescale, long.MinValue) : -1;
        box.End();
        var moofSize = box.Length - moof;

        var videoBytes = 0L;
        foreach (var frame in _video) videoBytes += frame.Data.Length;
        if (videoOffset >= 0) box.PatchUInt32(videoOffset, (uint)(moofSize + 8));
        if (audioOffset >= 0) box.PatchUInt32(audioOffset, checked((uint)(moofSize + 8 + videoBytes)));

        box.Begin("mdat");
        foreach (var frame in _video) box.Bytes(frame.Data.Span);
        foreach (var frame in _audio) box.Bytes(frame.Data.Span);
        box.End();
    }

    /// <summary>Writes one <c>traf</c>; returns where its trun's data_offset is, to be filled in once the moof's size is known.</summary>
    /// <param name="scaleNumerator">Track ticks = (pts90k - origin) × numerator / denominator.</param>
    private static int TrackFragment(BoxWriter box, uint trackId, List<EncodedFrame> frames, long origin90k, long scaleNumerator, long scaleDenominator, long end90k)
    {
        long Ticks(long pts90k) => (pts90k - origin90k) * scaleNumerator / scaleDenominator;
        var video = trackId == Mp4Tracks.VideoTrackId;

        box.Begin("traf");
        box.BeginFull("tfhd", 0, DefaultBaseIsMoof);
        box.UInt32(trackId);
        box.End();
        box.BeginFull("tfdt", 1, 0);
        box.UInt64((ulong)Math.Max(0, Ticks(frames[0].Pts90k)));
        box.End();
        box.BeginFull("trun", 0, DataOffsetPresent | SampleDurationPresent | SampleSizePresent | SampleFlagsPresent);
        box.UInt32((uint)frames.Count);
        var dataOffset = box.Length;
        box.UInt32(0);
        for (var i = 0; i < frames.Count; i++)
        {
            long duration;
            if (i + 1 < frames.Count) duration = Ticks(frames[i + 1].Pts90k) - Ticks(frames[i].Pts90k);
            else if (video) duration = end90k - frames[i].Pts90k;
            else duration = Mp4Tracks.AacFrameSamples;
            box.UInt32((uint)Math.Max(1, duration));
            box.UInt32((uint)frames[i].Data.Length);
            box.UInt32(!video || frames[i].IsKeyframe ? Mp4Tracks.SyncSampleFlags : Mp4Tracks.NonSyncSampleFlags);
        }
        box.End();
        box.End();
        return dataOffset;
    }
}
