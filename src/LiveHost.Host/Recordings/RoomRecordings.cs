using LiveHost.ControlPlane.Recordings;
using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Recording;
using LiveHost.Recording.Mp4;
using LiveHost.Rtmp;

namespace LiveHost.Host.Recordings;

/// <summary>The REST view of each room's <see cref="RoomRecorder"/>: list, start, stop.</summary>
public sealed class RoomRecordings(LiveRooms rooms) : IRoomRecordings
{
    /// <summary>The tag name under which ffprobe shows the GB 45438-2025 label (and the file's comment holds it too).</summary>
    public const string AigcTag = "AIGC";

    /// <summary>A room's recorder settings from <c>Rooms:{room}:Recording</c>; the folder is under <paramref name="dataDirectory"/> unless absolute.</summary>
    public static RecorderOptions RecorderOptions(string room, RoomRecordingOptions options, string dataDirectory, AigcLabel label)
    {
        var json = label.ToJson();
        return new RecorderOptions
        {
            Directory = Path.Combine(dataDirectory, options.Directory ?? Path.Combine("recordings", room)),
            Rotate = TimeSpan.FromMinutes(options.RotateMinutes),
            Retention = TimeSpan.FromHours(options.RetentionHours),
            MinFreeBytes = options.MinFreeDiskMb * 1024 * 1024,
            Tags = new Mp4Tags(json, [new(AigcTag, json)]),
        };
    }

    public RecordingsState Get(string room) => State(room, Recorder(room));

    public RecordingsState Start(string room)
    {
        var live = Find(room);
        if (live.StoppedReason is { } stopped) throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{room}' is stopped and cannot record: {stopped}");
        var recorder = Recorder(room);
        if (!recorder.IsRecording && recorder.DiskShortage() is { } shortage)
            throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{room}' cannot record: {shortage}");
        recorder.Start();
        return State(room, recorder);
    }

    public async Task<RecordingsState> StopAsync(string room)
    {
        var recorder = Recorder(room);
        await recorder.StopAsync();
        return State(room, recorder);
    }

    private static RecordingsState State(string room, RoomRecorder recorder) =>
        new(room, recorder.IsRecording, recorder.StoppedReason,
            recorder.List().Select(f => new RecordingFile(f.Name, f.Start, Math.Round(f.Duration.TotalSeconds, 3), f.Bytes, f.Recording)).ToArray());

    private RoomRecorder Recorder(string room) =>
        Find(room).Recorder ?? throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{room}' has no recorder");

    private LiveRoom Find(string room) =>
        rooms.All.FirstOrDefault(r => r.Name == room) ?? throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{room}'");
}
