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
}
