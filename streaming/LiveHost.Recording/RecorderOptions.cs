namespace LiveHost.Recording;

/// <summary>How one room records (the host binds it from <c>Rooms:{room}:Recording</c>).</summary>
public sealed record RecorderOptions
{
    /// <summary>Folder the room's files go to; created when missing.</summary>
    public required string Directory { get; init; }

    /// <summary>A new file starts at the first keyframe this long (media time) after the current file's start.</summary>
    public TimeSpan Rotate { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Files last written longer ago than this are deleted (at each new file); zero keeps them forever.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(72);

    /// <summary>Recording stops, with a warning, rather than let the folder's disk go below this many free bytes.</summary>
    public long MinFreeBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>The file's tags: the AIGC label (GB 45438-2025) as <c>comment</c> and as an <c>AIGC</c> tag.</summary>
    public Mp4.Mp4Tags Tags { get; init; } = Mp4.Mp4Tags.None;
}
