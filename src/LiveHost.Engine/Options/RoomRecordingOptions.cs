namespace LiveHost.Engine.Options;

/// <summary>
/// <c>Rooms:{room}:Recording</c>: whether the room records from its start to fragmented MP4 files, where, how often a
/// new file starts, how long files are kept, and the free disk space below which recording stops. An admin can also
/// start and stop recording at run time (<c>POST /api/rooms/{room}/recordings/start|stop</c>).
/// </summary>
public sealed record RoomRecordingOptions
{
    /// <summary>Record from the room's start (default false: recording starts only when an admin asks).</summary>
    public bool Enabled { get; set; }

    /// <summary>Folder of the room's files; relative to the data directory. Default <c>recordings/{room}</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>A new file starts at the first keyframe this many minutes after the current one began (default 30; fractions allowed).</summary>
    public double RotateMinutes { get; set; } = 30;

    /// <summary>Files last written more than this many hours ago are deleted when a new file starts (default 72; 0 keeps every file).</summary>
    public double RetentionHours { get; set; } = 72;

    /// <summary>Recording stops, with a warning, rather than leave less than this much free space on the disk (default 1024).</summary>
    public long MinFreeDiskMb { get; set; } = 1024;

    public IReadOnlyList<string> Validate(string at)
    {
        var errors = new List<string>();
        if (!(RotateMinutes >= 0.05 && RotateMinutes <= 24 * 60)) errors.Add($"{at}:RotateMinutes must be from 0.05 to 1440 (was {RotateMinutes}).");
        if (!(RetentionHours >= 0 && RetentionHours <= 24 * 365 * 10)) errors.Add($"{at}:RetentionHours must be from 0 (keep every file) to 87600 (was {RetentionHours}).");
        if (MinFreeDiskMb < 0) errors.Add($"{at}:MinFreeDiskMb must not be negative (was {MinFreeDiskMb}).");
        if (Directory is { } directory && (directory.Length == 0 || directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
            errors.Add($"{at}:Directory is not a usable folder path (was \"{directory}\").");
        return errors;
    }
}
