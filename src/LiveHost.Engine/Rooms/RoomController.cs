using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// Turns control-plane commands into queue changes and engine commands. Every line is validated and written to
/// the store before it is acknowledged, and only then becomes visible to the engine. Audio lines' clips are written
/// to the store first of all.
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

    public ValueTask<LineTicket> EnqueueAudioAsync(AudioLineRequest request, CancellationToken cancellationToken = default)
    {
        var line = AcceptAudio(request);
        var position = InsertAudio(line, request.Samples.Span, front: false);
        Announce(RoomCommand.Wake);
        return ValueTask.FromResult(new LineTicket(line.Id, Name, position + (engine.CurrentLine is null ? 0 : 1)));
    }

    public ValueTask<LineTicket> CueAudioNowAsync(AudioLineRequest request, CancellationToken cancellationToken = default)
    {
        var line = AcceptAudio(request);
        InsertAudio(line, request.Samples.Span, front: true);
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

    public RoomState GetState()
    {
        var state = engine.Snapshot(outputs?.Invoke());
        return _stoppedReason is { } stopped ? state with { Activity = RoomActivity.Stopped, Current = null, StoppedReason = stopped } : state;
    }

    private Line Accept(LineRequest request)
    {
        var valid = validator.Validate(request, engine.Room.Language);
        EnsureRoomInQueue();
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

    private Line AcceptAudio(AudioLineRequest request)
    {
        var samples = request.Samples.Length;
        if (samples == 0)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, "the audio is empty: send at least one sample");
        }
        if (samples > AudioLineLimits.MaxSamples)
        {
            throw new CommandRejectedException(
                RejectionCode.InvalidInput,
                $"the audio lasts {samples / 48_000.0:0.###} s; the limit is {AudioLineLimits.MaxSeconds} s: split it into several lines");
        }
        var caption = request.Caption?.Trim() ?? string.Empty;
        if (caption.Length > options.MaxTextLength)
        {
            throw new CommandRejectedException(
                RejectionCode.TextTooLong,
                $"caption is {caption.Length} characters long; the limit is {options.MaxTextLength}");
        }
        if (request.Tag is { Length: var tagLength } && tagLength > options.MaxTagLength)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"tag is {tagLength} characters long; the limit is {options.MaxTagLength}");
        }
        EnsureRoomInQueue();
        return new Line(
            Id: Guid.CreateVersion7(time.GetUtcNow()).ToString("N"),
            Room: Name,
            Text: caption,
            Language: engine.Room.Language,
            Status: LineStatus.Queued,
            Reason: null,
            QueuedAt: time.GetUtcNow(),
            StartedAt: null,
            FinishedAt: null,
            Voice: null,
            Tag: request.Tag,
            Kind: LineKind.Audio);
    }

    // The clip is written before the row and outside the queue's lock (it can be megabytes; the engine takes lines
    // under that lock every tick). A row that fails to go in takes its clip with it.
    private int InsertAudio(Line line, ReadOnlySpan<short> samples, bool front)
    {
        store.SaveClip(line.Id, samples);
        try
        {
            if (front)
            {
                queue.AddFirst(line, () => Persist(line, store.NextFrontOrder(Name)));
                return 0;
            }
            return queue.AddLast(line, () => Persist(line, store.NextBackOrder(Name)));
        }
        catch
        {
            store.DeleteClip(line.Id);
            throw;
        }
    }

    private volatile string? _stoppedReason;

    /// <summary>
    /// Refuses every new line from now on, saying why: the room stopped producing media (its avatar's consent was
    /// revoked, say), and a line accepted now would never be spoken.
    /// </summary>
    public void Stop(string reason)
    {
        if (_stoppedReason is not null) return;
        _stoppedReason = reason;
        events.StateChanged(GetState());
    }

    private void EnsureRoomInQueue()
    {
        if (_stoppedReason is { } stopped)
        {
            throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' is stopped and takes no lines: {stopped}");
        }
        if (queue.Count >= options.MaxQueueLength)
        {
            throw new CommandRejectedException(
                RejectionCode.Unavailable,
                $"room '{Name}' already has {options.MaxQueueLength} lines waiting; try again when some have been spoken");
        }
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
