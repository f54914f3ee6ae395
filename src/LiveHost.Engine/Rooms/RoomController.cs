using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Persistence;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// Turns control-plane commands into queue changes and engine commands. Every line is validated and written durably
/// (through the <see cref="StorageJournal"/>, awaited here, never on the engine's tick) before it is acknowledged,
/// and only then becomes visible to the engine. Audio lines' clips are written first of all.
/// Skip, Pause, Resume and ClearQueue complete once they took effect and what they changed is on disk; when storage
/// fails they are refused up front (<see cref="RejectionCode.StorageFailed"/>) and change nothing.
/// Queue editing (insert at a position, move, remove) and scheduled lines (<see cref="Line.At"/>) are in
/// RoomController.Queue.cs.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "Its one disposable, the _admission SemaphoreSlim, lives as long as the room and, without AvailableWaitHandle, holds nothing unmanaged.")]
public sealed partial class RoomController : IRoomController
{
    private readonly RoomEngine engine;
    private readonly LineQueue queue;
    private readonly StorageJournal journal;
    private readonly LineRequestValidator validator;
    private readonly IRoomEventSink events;
    private readonly Options.EngineOptions options;
    private readonly TimeProvider time;
    private readonly Func<IReadOnlyList<OutputState>>? outputs;
    private readonly ILinePolicy? policy;
    // One line admitted at a time: its order key, its durable insert and its place in the queue agree.
    private readonly SemaphoreSlim _admission = new(1, 1);
    private long _backOrder;
    private long _frontOrder;

    public RoomController(
        RoomEngine engine,
        LineQueue queue,
        StorageJournal journal,
        LineRequestValidator validator,
        IRoomEventSink events,
        Options.EngineOptions options,
        TimeProvider time,
        Func<IReadOnlyList<OutputState>>? outputs = null,
        ILinePolicy? policy = null,
        Playback.IPresenterStage? presenter = null)
    {
        this.engine = engine;
        this.queue = queue;
        this.journal = journal;
        this.validator = validator;
        this.events = events;
        this.options = options;
        this.time = time;
        this.outputs = outputs;
        this.policy = policy;
        this.presenter = presenter;
        // Order keys come from memory from now on (read here, at start): no query while a line is admitted.
        _backOrder = journal.Lines.NextBackOrder(Name) - 1;
        _frontOrder = journal.Lines.NextFrontOrder(Name) + 1;
        queue.Changed += ids => events.QueueChanged(Name, ids);
        _scheduleTimer = time.CreateTimer(static self => ((RoomController)self!).OnScheduleDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        LoadSchedule();
    }

    public string Name => engine.Room.Name;

    public ValueTask<LineTicket> EnqueueAsync(LineRequest request, CancellationToken cancellationToken = default) =>
        EnqueueAsync(request, LineOrigin.Live, cancellationToken);

    /// <summary>
    /// Queues a line the server itself composed (a script's line, an answer), marked with where it came from
    /// (<see cref="Line.Source"/>, <see cref="Line.ScriptId"/>). Validated and persisted like any other.
    /// </summary>
    public async ValueTask<LineTicket> EnqueueAsync(LineRequest request, LineOrigin origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var line = Accept(request, origin);
        if (Screen(line, cue: false) is { } held) return held;
        if (line.At is not null) return await ScheduleAsync(line, cancellationToken).ConfigureAwait(false);
        // One of the next lines: its synthesis starts as it is admitted, not on the next tick (see RoomEngine.Prepare).
        var position = await AdmitAsync(line, front: false, cancellationToken, prepare: true).ConfigureAwait(false);
        Announce(RoomCommand.Wake);
        return new LineTicket(line.Id, Name, position + (engine.CurrentLine is null ? 0 : 1));
    }

    public async ValueTask<LineTicket> CueNowAsync(LineRequest request, CancellationToken cancellationToken = default)
    {
        RefuseAt(request, "a cued line plays now");
        var line = Accept(request, LineOrigin.Live);
        if (Screen(line, cue: true) is { } held) return held;
        await AdmitAsync(line, front: true, cancellationToken, prepare: true).ConfigureAwait(false);
        Announce(RoomCommand.CueNow);
        return new LineTicket(line.Id, Name, 0);
    }

    public async ValueTask<LineTicket> EnqueueAudioAsync(AudioLineRequest request, CancellationToken cancellationToken = default)
    {
        var line = AcceptAudio(request);
        var position = await InsertAudioAsync(line, request.Samples, front: false, cancellationToken).ConfigureAwait(false);
        Announce(RoomCommand.Wake);
        return new LineTicket(line.Id, Name, position + (engine.CurrentLine is null ? 0 : 1));
    }

    public async ValueTask<LineTicket> CueAudioNowAsync(AudioLineRequest request, CancellationToken cancellationToken = default)
    {
        var line = AcceptAudio(request);
        await InsertAudioAsync(line, request.Samples, front: true, cancellationToken).ConfigureAwait(false);
        Announce(RoomCommand.CueNow);
        return new LineTicket(line.Id, Name, 0);
    }

    public ValueTask SkipAsync(CancellationToken cancellationToken = default) => ApplyAsync(RoomCommand.Skip, cancellationToken);
    public ValueTask PauseAsync(CancellationToken cancellationToken = default) => ApplyAsync(RoomCommand.Pause, cancellationToken);
    public ValueTask ResumeAsync(CancellationToken cancellationToken = default) => ApplyAsync(RoomCommand.Resume, cancellationToken);

    public async ValueTask ClearQueueAsync(CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        EnsureStorageWorks();
        var now = time.GetUtcNow();
        foreach (var line in queue.TakeAll())
        {
            journal.LineFinished(line.Id, FinishReason.Cleared, now);
            events.LineFinished(line with { Status = LineStatus.Done, Reason = FinishReason.Cleared, FinishedAt = now });
        }
        events.StateChanged(GetState());
        await FlushAsync("the queue was cleared", cancellationToken).ConfigureAwait(false);
    }

    public RoomState GetState()
    {
        var state = engine.Snapshot(outputs?.Invoke());
        return _stoppedReason is { } stopped ? state with { Activity = RoomActivity.Stopped, Current = null, StoppedReason = stopped } : state;
    }

    private Line Accept(LineRequest request, LineOrigin origin)
    {
        var valid = validator.Validate(WithDefaultVoice(request), engine.Room.Language);
        var at = CheckAt(request.At);
        var action = CheckAction(request.Action);
        EnsureRoomInQueue();
        EnsureStorageWorks();
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
            Tag: valid.Tag,
            Interruptible: request.Interruptible ?? true,
            At: at,
            Product: valid.Product,
            Source: origin.Source,
            ScriptId: origin.ScriptId,
            Caption: valid.Caption,
            Action: action);
    }

    /// <summary>
    /// Queues a script's lines once, behind what is queued, as <see cref="LineSources.Script"/> lines. Every line is
    /// checked, and the room's queue must have room for all of them, before the first is queued: a refusal queues none.
    /// </summary>
    public async ValueTask<IReadOnlyList<LineTicket>> EnqueueScriptAsync(string scriptId, IReadOnlyList<LineRequest> requests,
        CancellationToken cancellationToken = default)
    {
        var lines = requests.Select(r => Accept(r, new LineOrigin(LineSources.Script, scriptId))).ToList();
        RefuseFlagged(lines);
        if (queue.Count + lines.Count > options.MaxQueueLength)
        {
            throw new CommandRejectedException(
                RejectionCode.Unavailable,
                $"room '{Name}' has {queue.Count} lines waiting and the script has {lines.Count}; the limit is {options.MaxQueueLength}: try again when some have been spoken");
        }
        var tickets = new List<LineTicket>(lines.Count);
        foreach (var line in lines)
        {
            var position = await AdmitAsync(line, front: false, cancellationToken).ConfigureAwait(false);
            tickets.Add(new LineTicket(line.Id, Name, position + (engine.CurrentLine is null ? 0 : 1)));
        }
        Announce(RoomCommand.Wake);
        return tickets;
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
        EnsureStorageWorks();
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

    // The clip is written before the row (it can be megabytes; written by this caller, never by the engine's tick).
    // A row that fails to go in takes its clip with it.
    private async Task<int> InsertAudioAsync(Line line, ReadOnlyMemory<short> samples, bool front, CancellationToken cancellationToken)
    {
        try
        {
            journal.Lines.SaveClip(line.Id, samples.Span);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            journal.Lines.DeleteClip(line.Id);
            throw new CommandRejectedException(RejectionCode.StorageFailed, $"storage is failing: the audio could not be written ({ex.Message.TrimEnd('.')}); the line was not accepted");
        }
        try
        {
            return await AdmitAsync(line, front, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            journal.Lines.DeleteClip(line.Id);
            throw;
        }
    }

    // Durable first, then visible: the row is on disk before the line enters the queue, and LineQueued goes out
    // (under the queue's lock) before the engine can take it, so clients always see LineQueued before LineStarted.
    // With prepare, a line among the next SpeakAheadLines has its synthesis started under the same lock: a tick that
    // sees the line then also finds that synthesis, and starts no second one (a tick in between once did: two
    // requests to a speech server for one line).
    private async Task<int> AdmitAsync(Line line, bool front, CancellationToken cancellationToken, bool prepare = false)
    {
        await _admission.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureRoomInQueue();
            var order = front ? --_frontOrder : ++_backOrder;
            try
            {
                await journal.InsertAsync(line, order).ConfigureAwait(false);
            }
            catch (StorageFailedException ex)
            {
                throw new CommandRejectedException(RejectionCode.StorageFailed, $"{ex.Message}; the line was not accepted");
            }
            if (front)
            {
                queue.AddFirst(line, () => events.LineQueued(line), () =>
                {
                    if (prepare) engine.Prepare(line);
                });
                return 0;
            }
            return queue.AddLast(line, () => events.LineQueued(line), position =>
            {
                if (prepare && position < options.SpeakAheadLines) engine.Prepare(line);
            });
        }
        finally
        {
            _admission.Release();
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
        if (queue.CountWithScheduled >= options.MaxQueueLength)
        {
            throw new CommandRejectedException(
                RejectionCode.Unavailable,
                $"room '{Name}' already has {options.MaxQueueLength} lines waiting (scheduled ones included); try again when some have been spoken");
        }
    }

    private void Announce(RoomCommand command)
    {
        engine.Post(command);
        events.StateChanged(GetState());
    }

    private async ValueTask ApplyAsync(RoomCommand command, CancellationToken cancellationToken)
    {
        EnsureRunning();
        EnsureStorageWorks();
        await engine.ApplyAsync(command).WaitAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync($"the {command.ToString().ToLowerInvariant()} took effect", cancellationToken).ConfigureAwait(false);
    }

    private void EnsureRunning()
    {
        if (_stoppedReason is { } stopped)
        {
            throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' is stopped and takes no commands: {stopped}");
        }
    }

    private void EnsureStorageWorks()
    {
        if (journal.Status is { Failing: true, Problem: var problem })
        {
            throw new CommandRejectedException(RejectionCode.StorageFailed, $"storage is failing: {problem}; nothing was changed");
        }
    }

    // What the command changed is on disk before it is answered, so it survives a restart.
    private async Task FlushAsync(string what, CancellationToken cancellationToken)
    {
        try
        {
            await journal.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageFailedException ex)
        {
            throw new CommandRejectedException(RejectionCode.StorageFailed, $"{what}, but {ex.Message}: it is kept in memory and written once storage is back; a restart before then loses it");
        }
    }
}
