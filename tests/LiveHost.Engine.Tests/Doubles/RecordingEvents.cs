using System.Collections.Concurrent;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests.Doubles;

/// <summary>Collects the events a room raises, in order.</summary>
public sealed class RecordingEvents : IRoomEventSink
{
    public ConcurrentQueue<(string Kind, Line? Line)> All { get; } = new();

    public IEnumerable<Line> Finished => All.Where(e => e.Kind == "finished").Select(e => e.Line!);
    public IEnumerable<Line> Started => All.Where(e => e.Kind == "started").Select(e => e.Line!);

    public void LineQueued(Line line) => All.Enqueue(("queued", line));
    public void LineStarted(Line line) => All.Enqueue(("started", line));
    public void LineFinished(Line line)
    {
        All.Enqueue(("finished", line));
        FinishedSignal.Release();
    }

    /// <summary>Released once per LineFinished, for tests that wait for lines of a room running in real time.</summary>
    public SemaphoreSlim FinishedSignal { get; } = new(0);
    public void StateChanged(RoomState state)
    {
        States.Enqueue(state);
        All.Enqueue(("state", null));
    }

    /// <summary>Every StateChanged, in order.</summary>
    public ConcurrentQueue<RoomState> States { get; } = new();

    /// <summary>Every QueueChanged, in order: the waiting lines' ids.</summary>
    public ConcurrentQueue<IReadOnlyList<string>> Queues { get; } = new();

    public void QueueChanged(string room, IReadOnlyList<string> lineIds)
    {
        Queues.Enqueue(lineIds);
        All.Enqueue(("queue", null));
    }
}
