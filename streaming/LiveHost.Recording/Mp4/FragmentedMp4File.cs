using LiveHost.Media;

namespace LiveHost.Recording.Mp4;

/// <summary>
/// One fragmented MP4 file being written: the init segment at open, then one fragment per keyframe interval, each
/// written with a single write and flushed to the operating system, so a process killed at any moment leaves every
/// fragment before the one being written intact (the OS keeps what it was handed even when the process dies).
/// </summary>
internal sealed class FragmentedMp4File : IDisposable
{
    private readonly FileStream _stream;
    private readonly BoxWriter _box = new(256 * 1024);
    private readonly Mp4Fragment _fragment = new();
    private readonly int _audioSampleRate;
    private readonly long _frameDuration90k;
    private uint _sequence;
    private long _lastVideoPts;

    public FragmentedMp4File(string path, H264Config video, AacConfig audio, Mp4Tags tags, DateTimeOffset created, long origin90k, long frameDuration90k)
    {
        Path = path;
        Video = video;
        Origin90k = origin90k;
        _audioSampleRate = audio.SampleRate;
        _frameDuration90k = frameDuration90k;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 1, FileOptions.None);
        Mp4InitSegment.Write(_box, video, audio, tags, created);
        WriteOut();
    }

    public string Path { get; }
    public H264Config Video { get; }
    public long Origin90k { get; }
    /// <summary>The file's size once closed.</summary>
    public long Bytes { get; private set; }

    /// <summary>Media time written to the file so far (whole fragments).</summary>
    public TimeSpan Written { get; private set; }

    /// <summary>Bytes the pending fragment will add when written (payload plus a generous allowance for its boxes).</summary>
    public long PendingBytes => _fragment.PayloadBytes + 64 * (_fragment.VideoFrames + _fragment.AudioFrames) + 256;

    public bool HasPendingVideo => _fragment.VideoFrames > 0;

    public void Add(EncodedFrame frame)
    {
        if (frame.Kind == MediaKind.Video) _lastVideoPts = frame.Pts90k;
        _fragment.Add(frame);
    }

    /// <summary>Writes the pending frames as one fragment whose video ends at <paramref name="end90k"/> (the next keyframe).</summary>
    public void WriteFragment(long end90k)
    {
        if (_fragment.VideoFrames == 0)
        {
            _fragment.Clear();
            return;
        }
        _fragment.WriteTo(_box, ++_sequence, Origin90k, end90k, _audioSampleRate);
        _fragment.Clear();
        WriteOut();
        Written = TimeSpan.FromSeconds((end90k - Origin90k) / (double)Mp4Tracks.VideoTimescale);
    }

    /// <summary>Drops the pending frames (they will not fit on the disk); the file keeps its whole fragments.</summary>
    public void DiscardPending() => _fragment.Clear();

    /// <summary>Writes what is pending, its last frame lasting one frame, and closes the file.</summary>
    public void Dispose()
    {
        try
        {
            if (_fragment.VideoFrames > 0) WriteFragment(_lastVideoPts + _frameDuration90k);
            Bytes = _stream.Length;
        }
        finally
        {
            _stream.Dispose();
        }
    }

    private void WriteOut()
    {
        _stream.Write(_box.WrittenSpan);
        _stream.Flush();
        _box.Clear();
    }
}
