using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// Turns control-plane commands into queue changes and engine commands. Every line is validated and written to
/// the store before it is acknowledged, and only then becomes visible to the engine.
/// </summary>
public sealed class RoomController(
    RoomEngine engine,
    LineQueue queue,
    ILineStore store,
    LineRequestValidator validator,
    IRoomEventSink events,
    Options.EngineOptions options,
    TimeProvider time,
    Func<IReadOnlyList<OutputState>>? outputs = null) : IRoomController
{
    public string Name => engine.Room.Name;

    public ValueTask<LineTicket> EnqueueAsync(LineRequest request, CancellationToken cancellationToken = default)
    {
        var line = Accept(request);
        var position = queue.AddLast(line, () => Persist(line, store.NextBackOrder(Name)));
        Announce(RoomCommand.Wake);
        return ValueTask.FromResult(new LineTicket(line.Id, Name, position + (engine.CurrentLine is null ? 0 : 1)));
    }

    public ValueTask<LineTicket> CueNowAsync(LineRequest request, CancellationToken cancellationToken = default)
    {
        var line = Accept(request);
        queue.AddFirst(line, () => Persist(line, store.NextFrontOrder(Name)));
        Announce(RoomCommand.CueNow);
        return ValueTask.FromResult(new LineTicket(line.Id, Name, 0));
    }

    public ValueTask SkipAsync(CancellationToken cancellationToken = default) => Post(RoomCommand.Skip);
    public ValueTask PauseAsync(CancellationToken cancellationToken = default) => Post(RoomCommand.Pause);
    public ValueTask ResumeAsync(CancellationToken cancellationToken = default) => Post(RoomCommand.Resume);

    public ValueTask ClearQueueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        foreach (var line in queue.TakeAll())
        {
            store.MarkFinished(line.Id, FinishReason.Cleared, now);
            events.LineFinished(line with { Status = LineStatus.Done, Reason = FinishReason.Cleared, FinishedAt = now });
        }
        events.StateChanged(GetState());
        return ValueTask.CompletedTask;
    }

    public RoomState GetState() => engine.Snapshot(outputs?.Invoke());

    private Line Accept(LineRequest request)
    {
        var valid = validator.Validate(request, engine.Room.Language);
        if (queue.Count >= options.MaxQueueLength)
        {
            throw new CommandRejectedException(
                RejectionCode.Unavailable,
                $"room '{Name}' already has {options.MaxQueueLength} lines waiting; try again when some have been spoken");
        }
        return new Line(
            Id: Guid.CreateVersion7(time.GetUtcNow()).ToString("N"),
            Room: Name,
            Text: valid.Text,
            Language: valid.Language,
            Status: LineStatus.Queued,
            Reason: null,
            QueuedAt: time.GetUtcNow(),
            StartedAt: null,
            FinishedAt: null,
            Voice: valid.Voice.Id,
            Tag: valid.Tag);
    }

    // Runs under the queue's lock: stored before anyone can see it, and LineQueued goes out before the engine
    // can take the line, so clients always see LineQueued before LineStarted.
    private void Persist(Line line, long order)
    {
        store.Insert(line, order);
        events.LineQueued(line);
    }

    private void Announce(RoomCommand command)
    {
        engine.Post(command);
        events.StateChanged(GetState());
    }

    private ValueTask Post(RoomCommand command)
    {
        engine.Post(command);
        return ValueTask.CompletedTask;
    }
}
