using LiveHost.Engine.Lines;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// Where a room reports what happened (the control plane forwards to SignalR). Called from the engine loop:
/// implementations must not block; they queue and return.
/// </summary>
public interface IRoomEventSink
{
    void LineQueued(Line line);
    void LineStarted(Line line);
    void LineFinished(Line line);
    void StateChanged(RoomState state);

    /// <summary>
    /// The room's queue changed order or membership (a line queued, inserted, moved, removed, started, cleared, or a
    /// scheduled line went to the front): the waiting lines' ids, in speaking order. Raised in the order the changes
    /// happened; never to be dropped.
    /// </summary>
    void QueueChanged(string room, IReadOnlyList<string> lineIds)
    {
    }
}
