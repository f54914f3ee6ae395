using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Recordings;

/// <summary>
/// A room's recordings as the REST API manages them (admin only). The host implements it over LiveHost.Recording;
/// an unknown room throws <see cref="CommandRejectedException"/> (UnknownRoom) and changes nothing.
/// </summary>
public interface IRoomRecordings
{
    RecordingsState Get(string room);

    /// <summary>Starts recording (a new file at the next keyframe); refused (Unavailable) below the disk-space floor or in a stopped room.</summary>
    RecordingsState Start(string room);

    /// <summary>Stops recording and closes the current file with every frame received so far.</summary>
    Task<RecordingsState> StopAsync(string room);
}

/// <summary>
/// <c>GET /api/rooms/{room}/recordings</c>: whether the room records now, why it last stopped on its own (the
/// disk-space floor, a write error; null otherwise), and its files, oldest first.
/// </summary>
public sealed record RecordingsState(string Room, bool Recording, string? StoppedReason, IReadOnlyList<RecordingFile> Files);

/// <summary>One file: its name in the room's folder, its start (UTC), how long it plays (seconds, whole fragments), its size, and whether it is being written.</summary>
public sealed record RecordingFile(string Name, DateTimeOffset Start, double DurationSeconds, long Bytes, bool Recording);
