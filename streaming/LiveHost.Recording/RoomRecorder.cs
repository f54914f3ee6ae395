using LiveHost.Media;
using LiveHost.Recording.Mp4;
using Microsoft.Extensions.Logging;

namespace LiveHost.Recording;

/// <summary>
/// Records one room to fragmented MP4 from the room's one encode: a subscriber of its <see cref="MediaBroadcaster"/>
/// like any output, so recording never touches the engine's tick and a slow disk only loses this subscriber's frames.
/// Each file starts at a keyframe; a new one starts at the first keyframe <see cref="RecorderOptions.Rotate"/> after
/// the current one began (or when the encoder's parameter sets change); files past the retention period are deleted
/// whenever a file starts; and before each fragment the disk is checked, so recording stops with a warning rather than
/// take the disk below <see cref="RecorderOptions.MinFreeBytes"/>.
/// <code>
///   Stopped ──Start──▶ WaitingForKeyframe ──keyframe──▶ Writing ──keyframe past Rotate──▶ (new file) Writing
///      ▲                                                  │
///      └────────── Stop, or the disk below the floor ─────┘
/// </code>
/// </summary>
public sealed class RoomRecorder : IAsyncDisposable
{
    private readonly string _room;
    private readonly MediaBroadcaster _source;
    private readonly RecorderOptions _options;
    private readonly IDiskSpace _disk;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomRecorder> _logger;
    private readonly Lock _gate = new();
    private readonly long _rotate90k;
    private readonly long _frameDuration90k;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "Disposed when the run ends (RunAsync's finally), which DisposeAsync awaits through StopAsync.")]
    private CancellationTokenSource? _cancel;
    private Task _run = Task.CompletedTask;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "Closed by CloseFile when the run ends (RunAsync's finally), which DisposeAsync awaits through StopAsync.")]
    private FragmentedMp4File? _file;
    private volatile string? _currentPath;

    public RoomRecorder(string room, MediaBroadcaster source, RecorderOptions options, IDiskSpace disk, TimeProvider time, ILogger<RoomRecorder> logger)
    {
        _room = room;
        _source = source;
        _options = options;
        _disk = disk;
        _time = time;
        _logger = logger;
        Folder = new RecordingFolder(room, options.Directory);
        _rotate90k = (long)(options.Rotate.TotalSeconds * MediaFormat.Clock90k);
        _frameDuration90k = MediaFormat.Clock90k / source.Format.FramesPerSecond;
    }

    public RecordingFolder Folder { get; }

    public bool IsRecording { get; private set; }

    /// <summary>Why recording last stopped on its own (the disk-space floor, a write error); null while it records or after a normal stop.</summary>
    public string? StoppedReason { get; private set; }

    /// <summary>Raised (on the recorder's task) when a file has been closed, with its path.</summary>
    public event Action<string>? FileClosed;

    /// <summary>Starts recording (a new file at the next keyframe). False, changing nothing, when it already records.</summary>
    public bool Start()
    {
        lock (_gate)
        {
            if (IsRecording) return false;
            IsRecording = true;
            StoppedReason = null;
            _cancel = new CancellationTokenSource();
            var subscription = _source.Subscribe($"recording:{_room}", capacity: 1024);
            var token = _cancel.Token;
            _run = Task.Run(() => RunAsync(subscription, token), CancellationToken.None);
            return true;
        }
    }

    /// <summary>Stops recording and closes the current file with every frame received so far. False when it was not recording.</summary>
    public async Task<bool> StopAsync()
    {
        Task run;
        lock (_gate)
        {
            if (!IsRecording) return false;
            _cancel!.Cancel();
            run = _run;
        }
        await run;
        return true;
    }

    public IReadOnlyList<RecordingFileInfo> List() => Folder.List(_currentPath);

    private async Task RunAsync(MediaSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var frame = await subscription.ReadAsync(cancellationToken);
                if (!Handle(frame)) break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stop: take what already arrived, so the file ends where the stop was asked for.
            while (subscription.TryRead(out var frame) && Handle(frame!))
            {
            }
        }
        catch (IOException e)
        {
            StopWith($"writing the recording failed: {e.Message}");
        }
        finally
        {
            subscription.Dispose();
            CloseFile();
            lock (_gate)
            {
                IsRecording = false;
                _cancel?.Dispose();
                _cancel = null;
            }
        }
    }

    /// <summary>Takes one frame; false when recording must stop (the disk floor).</summary>
    private bool Handle(EncodedFrame frame)
    {
        var keyframe = frame.Kind == MediaKind.Video && frame.IsKeyframe;
        if (_file is not null && keyframe)
        {
            if (!HasRoomFor(_file.PendingBytes)) return false;
            _file.WriteFragment(frame.Pts90k);
            if (frame.Pts90k - _file.Origin90k >= _rotate90k || !ReferenceEquals(_file.Video, _source.VideoConfig)) CloseFile();
        }
        if (_file is null)
        {
            if (!keyframe || _source.VideoConfig is not { } video || _source.AudioConfig is not { } audio) return true;
            if (!HasRoomFor(64 * 1024)) return false;
            OpenFile(video, audio, frame.Pts90k);
        }
        if (frame.Pts90k < _file!.Origin90k) return true; // audio from before the file's first picture
        _file.Add(frame);
        return true;
    }

    /// <summary>Why <paramref name="bytes"/> more would take the disk below the floor; null when they fit.</summary>
    public string? DiskShortage(long bytes = 0)
    {
        System.IO.Directory.CreateDirectory(_options.Directory);
        var free = _disk.FreeBytes(Path.GetFullPath(_options.Directory));
        if (free - bytes >= _options.MinFreeBytes) return null;
        return $"only {free / (1024 * 1024)} MB free on the disk of {_options.Directory}, under the {_options.MinFreeBytes / (1024 * 1024)} MB floor (Recording:MinFreeDiskMb)";
    }

    private bool HasRoomFor(long bytes)
    {
        if (DiskShortage(bytes) is not { } shortage) return true;
        _file?.DiscardPending();
        StopWith(shortage);
        return false;
    }

    private void StopWith(string reason)
    {
        StoppedReason = reason;
        RecordingLog.Stopped(_logger, _room, reason);
    }

    private void OpenFile(H264Config video, AacConfig audio, long origin90k)
    {
        var now = _time.GetUtcNow();
        DeleteExpired(now);
        var path = Folder.NewFilePath(now);
        _file = new FragmentedMp4File(path, video, audio, _options.Tags, now, origin90k, _frameDuration90k);
        _currentPath = path;
        RecordingLog.FileOpened(_logger, _room, path);
    }

    private void CloseFile()
    {
        if (_file is not { } file) return;
        _file = null;
        _currentPath = null;
        try
        {
            file.Dispose();
        }
        catch (IOException e)
        {
            StopWith($"closing {file.Path} failed: {e.Message}");
        }
        RecordingLog.FileClosed(_logger, _room, file.Path, file.Written.TotalSeconds, file.Bytes);
        FileClosed?.Invoke(file.Path);
    }

    private void DeleteExpired(DateTimeOffset now)
    {
        foreach (var path in Folder.Expired(now, _options.Retention, _currentPath))
        {
            try
            {
                File.Delete(path);
                RecordingLog.Expired(_logger, _room, path, _options.Retention.TotalHours);
            }
            catch (IOException e)
            {
                RecordingLog.ExpireFailed(_logger, _room, path, e.Message);
            }
            catch (UnauthorizedAccessException e)
            {
                RecordingLog.ExpireFailed(_logger, _room, path, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
