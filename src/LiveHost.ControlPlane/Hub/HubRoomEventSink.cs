using System.Threading.Channels;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>
/// Takes room events from the engine loop without ever blocking it, and keeps them in order for
/// <see cref="HubEventPump"/>, which sends them to SignalR. Line events and QueueChanged are never dropped: every
/// accepted line must reach exactly one LineFinished, and every queue change must reach a console that shows the order,
/// so that queue is unbounded (its depth is a metric). StateChanged events are
/// snapshots, so when more than <see cref="MaxPendingStates"/> wait, the oldest is dropped: a newer snapshot
/// supersedes it. Dropping marks the event rather than removing it, which keeps one ordered stream.
/// </summary>
public sealed class HubRoomEventSink : IRoomEventSink
{
    public const int DefaultMaxPendingStates = 64;

    private readonly Channel<RoomEvent> _events = Channel.CreateUnbounded<RoomEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly Lock _statesGate = new();
    private readonly LinkedList<RoomEvent> _pendingStates = new();
    private readonly LiveHostMetrics _metrics;
    private readonly Llm.SpokenLines? _spoken;
    private long _pending;
    private long _droppedStates;

    /// <param name="spoken">Told of every line started, for the LLM answer prompt (issue 18); optional.</param>
    public HubRoomEventSink(LiveHostMetrics metrics, int maxPendingStates = DefaultMaxPendingStates, Llm.SpokenLines? spoken = null)
    {
        _spoken = spoken;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPendingStates, 1);
        _metrics = metrics;
        MaxPendingStates = maxPendingStates;
    }

    public int MaxPendingStates { get; }

    /// <summary>Events accepted and not yet sent (dropped states excluded once the pump passes them).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public long DroppedStates => Interlocked.Read(ref _droppedStates);

    public ChannelReader<RoomEvent> Reader => _events.Reader;

    public void LineQueued(Line line) => Write(RoomEvent.ForLine(ControlHubEvents.LineQueued, line));

    public void LineStarted(Line line)
    {
        _spoken?.Record(line);
        Write(RoomEvent.ForLine(ControlHubEvents.LineStarted, line));
    }

    public void LineFinished(Line line) => Write(RoomEvent.ForLine(ControlHubEvents.LineFinished, line));

    public void QueueChanged(string room, IReadOnlyList<string> lineIds) => Write(RoomEvent.ForQueue(new QueueChange(room, lineIds)));

    public void StateChanged(RoomState state)
    {
        var roomEvent = RoomEvent.ForState(state);
        lock (_statesGate)
        {
            roomEvent.PendingNode = _pendingStates.AddLast(roomEvent);
            if (_pendingStates.Count > MaxPendingStates)
            {
                var oldest = _pendingStates.First!;
                _pendingStates.RemoveFirst();
                oldest.Value.Dropped = true;
                oldest.Value.PendingNode = null;
                Interlocked.Increment(ref _droppedStates);
                _metrics.HubStateEventDropped();
            }
        }

        Write(roomEvent);
    }

    /// <summary>Called by the pump for each event it reads: false when the event was dropped and must not be sent.</summary>
    public bool TakeForSending(RoomEvent roomEvent)
    {
        var remaining = Interlocked.Decrement(ref _pending);
        _metrics.SetHubEventsPending(remaining);
        if (!roomEvent.IsState)
        {
            return true;
        }

        lock (_statesGate)
        {
            if (roomEvent.Dropped)
            {
                return false;
            }

            if (roomEvent.PendingNode is { } node)
            {
                _pendingStates.Remove(node);
                roomEvent.PendingNode = null;
            }

            return true;
        }
    }

    /// <summary>No more events: the pump finishes what is queued and stops.</summary>
    public void Complete() => _events.Writer.TryComplete();

    private void Write(RoomEvent roomEvent)
    {
        // Counted before it is visible to the pump, so the pump's decrement never sees it uncounted.
        _metrics.SetHubEventsPending(Interlocked.Increment(ref _pending));
        if (!_events.Writer.TryWrite(roomEvent))
        {
            // Only after Complete(): the host is stopping.
            _metrics.SetHubEventsPending(Interlocked.Decrement(ref _pending));
        }
    }
}
