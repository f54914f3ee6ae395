namespace LiveHost.Engine.Persistence;

/// <summary>
/// A write for a room this process no longer owns: another node took the room's lease and its fencing token in the
/// store is newer than the one this process holds (issue 15, several nodes). Unlike <see cref="StorageFailedException"/>
/// it is refused for good, not held and retried: the new owner's state is the truth, and this process stops the room.
/// </summary>
public sealed class RoomFencedException(string room, string message) : Exception(message)
{
    public string Room { get; } = room;
}
