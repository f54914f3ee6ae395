using LiveHost.ControlPlane;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Host.Metrics;

/// <summary>
/// Counts every finished line (<c>livehost_lines_finished_total{room,reason}</c>) on its way from the rooms to the
/// hub's sink. The engine raises each line's LineFinished exactly once, so this is the one place that sees them all
/// (completed, skipped, cleared, failed...) whichever command caused them; it only bumps a counter and passes on.
/// </summary>
public sealed class MeteredRoomEventSink(IRoomEventSink inner, LiveHostMetrics metrics) : IRoomEventSink
{
    public void LineQueued(Line line) => inner.LineQueued(line);

    public void LineStarted(Line line) => inner.LineStarted(line);

    public void LineFinished(Line line)
    {
        metrics.LineFinished(line.Room, line.Reason ?? FinishReason.Completed);
        inner.LineFinished(line);
    }

    public void StateChanged(RoomState state) => inner.StateChanged(state);

    public void QueueChanged(string room, IReadOnlyList<string> lineIds) => inner.QueueChanged(room, lineIds);
}
