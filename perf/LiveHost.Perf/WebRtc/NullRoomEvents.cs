using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Perf.WebRtc;

/// <summary>A room's event sink for benchmarks that drive the room directly and watch nothing of its lines.</summary>
public sealed class NullRoomEvents : IRoomEventSink
{
    public void LineQueued(Line line) { }
    public void LineStarted(Line line) { }
    public void LineFinished(Line line) { }
    public void StateChanged(RoomState state) { }
}
