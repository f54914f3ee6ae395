using System.Threading.Channels;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using Microsoft.Extensions.Logging;

namespace LiveHost.Engine.Persistence;

/// <summary>Where storage stands: failing since when and why, and how many writes wait for it to come back.</summary>
public sealed record StorageStatus(bool Failing, string? Problem, DateTimeOffset? Since, int HeldWrites, long DroppedWrites)
{
    public static readonly StorageStatus Healthy = new(false, null, null, 0, 0);
}

/// <summary>
/// Every write to the stores, made by one writer task that drains a bounded channel, so no room's tick and no lock
/// the tick takes ever waits on the disk (in the spirit of the hub's event sink).
///
/// - <see cref="InsertAsync"/> (the control plane, before it acknowledges a line) writes the row on the caller's thread,
///   in step with the writer, and fails with <see cref="StorageFailedException"/> when it cannot be written: the caller
///   refuses the line.
/// - <see cref="InsertAtAsync"/> and <see cref="ReorderAsync"/> (queue editing) write the same way.
/// - <see cref="LineStarted"/>, <see cref="LineFinished"/> and <see cref="RoomStateChanged"/> (the tick),
///   <see cref="QueueReordered"/> and <see cref="LineFired"/> return at once.
///   One that fails is held, in order, and written again before anything newer once storage is back.
/// - <see cref="FlushAsync"/> completes when everything posted before it is on disk; it fails while writes are held.
///
/// A write refused with <see cref="RoomFencedException"/> (another node owns the room now) is dropped, never held:
/// holding it would stall every other room's writes behind a write that can never succeed.
///
/// While storage fails, the writer retries every <see cref="JournalOptions.RetryInterval"/> (held writes first, then a
/// probe write), so it recovers without a restart. <see cref="Status"/> says how it stands (for /healthz).
/// </summary>
public sealed partial class StorageJournal : IAsyncDisposable
{
    private readonly ILineStore _lines;
    private readonly IRoomStateStore _rooms;
    private readonly JournalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageJournal> _logger;
    private readonly Channel<Entry> _channel;
    private readonly List<Entry> _held = [];
    // Held by the writer while it writes, and by InsertAsync: the two never write or change the status at once.
    private readonly Lock _state = new();
    private readonly Task _writer;
    private volatile StorageStatus _status = StorageStatus.Healthy;
    private long _dropped;

    public StorageJournal(ILineStore lines, IRoomStateStore rooms, JournalOptions options, TimeProvider time, ILogger<StorageJournal> logger)
    {
        _lines = lines;
        _rooms = rooms;
        _options = options;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<Entry>(new BoundedChannelOptions(options.Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(RunAsync);
    }

    /// <summary>The line store, for reads at start and for clip files (never for writes from a tick).</summary>
    public ILineStore Lines => _lines;

    /// <summary>The room state store, for reads at start.</summary>
    public IRoomStateStore Rooms => _rooms;

    public StorageStatus Status => _status;

    /// <summary>Raised on the writer task when storage starts failing and when it works again.</summary>
    public event Action<StorageStatus>? StatusChanged;

    /// <summary>Writes a new line's row; completes when it is durable. Fails with <see cref="StorageFailedException"/> when it is not.</summary>
    /// <remarks>
    /// Written on the caller's thread (a control-plane request: never a room's tick, never under the queue's lock), not
    /// through the channel: a cue then reaches its room without two trips through the thread pool, which on a busy
    /// machine cost milliseconds of cue latency. The lock keeps it in step with the writer: it refuses while older
    /// writes are held, as the writer would.
    /// </remarks>
    public Task InsertAsync(Line line, long order) => WriteNow(() => _lines.Insert(line, order));

    /// <summary>
    /// Like <see cref="InsertAsync"/>, for a line put at a position: its row and the queue's new order in one transaction.
    /// </summary>
    public Task InsertAtAsync(Line line, QueueOrder order) => WriteNow(() => _lines.InsertAt(line, order));

    /// <summary>
    /// Writes the queue's new order (a producer moved a line) on the caller's thread, like <see cref="InsertAsync"/>;
    /// completes when it is durable, fails with <see cref="StorageFailedException"/> when it is not (the caller then
    /// changes nothing).
    /// </summary>
    public Task ReorderAsync(QueueOrder order) => WriteNow(() => _lines.Reorder(order));

    private Task WriteNow(Action write)
    {
        lock (_state)
        {
            if (_writer.IsCompleted) return Task.FromException(new StorageFailedException("storage is shutting down"));
            if (_held.Count > 0) return Task.FromException(Failure());
            try
            {
                write();
                Succeeded();
                return Task.CompletedTask;
            }
            catch (RoomFencedException ex)
            {
                // Another node owns the room now: refused for good, and storage itself is fine.
                LogWriteFenced(ex.Room, ex.Message);
                return Task.FromException(new StorageFailedException(ex.Message, ex));
            }
            catch (Exception ex)
            {
                Failed(ex);
                // The writer may be waiting for an entry with nothing to write: wake it, so it starts probing and storage
                // reads healthy again (/healthz) as soon as it is back, not only at the next write.
                _channel.Writer.TryWrite(new Entry(EntryKind.Wake, "", default, default, null, null, null));
                return Task.FromException(Failure());
            }
        }
    }

    /// <summary>Records the queue's order as it is in memory (after a change made there first). Never waits.</summary>
    public void QueueReordered(QueueOrder order) => Post(new Entry(EntryKind.Reorder, "", default, default, null, null, null, order));

    /// <summary>Records that a scheduled line went to the queue with order key <paramref name="order"/>. Never waits.</summary>
    public void LineFired(string id, long order) => Post(new Entry(EntryKind.Fired, id, default, default, null, null, null, null, order));

    /// <summary>Records that a line started speaking. Never waits.</summary>
    public void LineStarted(string id, DateTimeOffset at) => Post(new Entry(EntryKind.Started, id, default, at, null, null, null));

    /// <summary>Records that a line finished (and removes its clip). Never waits.</summary>
    public void LineFinished(string id, FinishReason reason, DateTimeOffset at) =>
        Post(new Entry(EntryKind.Finished, id, reason, at, null, null, null));

    /// <summary>Records a room's state (paused...). Never waits.</summary>
    public void RoomStateChanged(string room, StoredRoomState state) =>
        Post(new Entry(EntryKind.RoomState, room, default, default, room, state, null));

    /// <summary>
    /// Completes when every write posted before it is on disk; throws <see cref="StorageFailedException"/> while
    /// storage fails (those writes are held and retried, not lost).
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var entry = new Entry(EntryKind.Barrier, "", default, default, null, null, NewCompletion());
        try
        {
            await _channel.Writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new StorageFailedException("storage is shutting down", ex);
        }
        await entry.Done!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Post(Entry entry)
    {
        if (_channel.Writer.TryWrite(entry)) return;
        // Full (thousands of writes behind a dead disk) or shut down. The line is not lost: it was inserted before it
        // could start, and without this mark it is spoken again after a restart.
        var dropped = Interlocked.Increment(ref _dropped);
        LogWriteDropped(entry.Kind.ToString(), entry.Id, dropped);
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        Task<bool>? waiting = null;
        while (true)
        {
            waiting ??= reader.WaitToReadAsync().AsTask();
            if (_status.Failing)
            {
                using var stopDelay = new CancellationTokenSource();
                var retry = Task.Delay(_options.RetryInterval, _time, stopDelay.Token);
                var first = await Task.WhenAny(waiting, retry).ConfigureAwait(false);
                await stopDelay.CancelAsync().ConfigureAwait(false);
                if (first != waiting)
                {
                    lock (_state) TryRecover();
                    continue;
                }
            }
            if (!await waiting.ConfigureAwait(false)) break;
            waiting = null;
            while (reader.TryRead(out var entry))
            {
                lock (_state) Process(entry);
            }
        }
        // Shutting down: one last try for what is held. What still fails is replayed from the lines' rows at the next start.
        lock (_state)
        {
            TryRecover();
            if (_held.Count > 0) LogHeldAtShutdown(_held.Count);
        }
    }

    private void Process(Entry entry)
    {
        switch (entry.Kind)
        {
            case EntryKind.Barrier:
                if (_held.Count > 0) entry.Done!.TrySetException(Failure());
                else entry.Done!.TrySetResult();
                return;
            case EntryKind.Wake:
                return;
            default:
                if (_held.Count > 0)
                {
                    _held.Add(entry);
                    Publish();
                    return;
                }
                try
                {
                    Write(entry);
                    Succeeded();
                }
                catch (RoomFencedException ex)
                {
                    LogWriteFenced(ex.Room, ex.Message);
                }
                catch (Exception ex)
                {
                    _held.Add(entry);
                    Failed(ex);
                }
                return;
        }
    }

    private void TryRecover()
    {
        try
        {
            var written = 0;
            try
            {
                foreach (var entry in _held)
                {
                    try
                    {
                        Write(entry);
                    }
                    catch (RoomFencedException ex)
                    {
                        // Held while storage was down, and the room has moved on meanwhile: the new owner's state wins.
                        LogWriteFenced(ex.Room, ex.Message);
                    }
                    written++;
                }
            }
            finally
            {
                _held.RemoveRange(0, written);
            }
            if (_status.Failing) _lines.CheckWritable();
            Succeeded();
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    private void Write(Entry entry)
    {
        switch (entry.Kind)
        {
            case EntryKind.Started: _lines.MarkStarted(entry.Id, entry.At); break;
            case EntryKind.Finished: _lines.MarkFinished(entry.Id, entry.Reason, entry.At); break;
            case EntryKind.RoomState: _rooms.SaveRoomState(entry.Room!, entry.State!); break;
            case EntryKind.Reorder: _lines.Reorder(entry.Order!); break;
            case EntryKind.Fired: _lines.MarkFired(entry.Id, entry.OrderKey); break;
        }
    }

    private StorageFailedException Failure() => new($"storage is failing: {_status.Problem}");

    private void Failed(Exception ex)
    {
        var was = _status;
        var problem = ex.Message.TrimEnd('.');
        _status = new StorageStatus(true, problem, was.Since ?? _time.GetUtcNow(), _held.Count, Interlocked.Read(ref _dropped));
        if (!was.Failing)
        {
            LogStorageFailing(problem, _held.Count);
            StatusChanged?.Invoke(_status);
        }
    }

    private void Succeeded()
    {
        if (!_status.Failing) return;
        if (_held.Count > 0)
        {
            Publish();
            return;
        }
        var since = _status.Since;
        _status = StorageStatus.Healthy with { DroppedWrites = Interlocked.Read(ref _dropped) };
        LogStorageRecovered(since is { } s ? (_time.GetUtcNow() - s).TotalSeconds : 0);
        StatusChanged?.Invoke(_status);
    }

    private void Publish() => _status = _status with { HeldWrites = _held.Count, DroppedWrites = Interlocked.Read(ref _dropped) };

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private enum EntryKind { Started, Finished, RoomState, Reorder, Fired, Barrier, Wake }

    private sealed record Entry(
        EntryKind Kind, string Id, FinishReason Reason, DateTimeOffset At, string? Room, StoredRoomState? State, TaskCompletionSource? Done,
        QueueOrder? Order = null, long OrderKey = 0);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage is failing: {Problem}. New lines and commands are refused with 503; {Held} writes are held and retried")]
    private partial void LogStorageFailing(string problem, int held);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage works again after {Seconds:F1} s; held writes are on disk")]
    private partial void LogStorageRecovered(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage journal is full; dropped a {Kind} write for {Id} ({Dropped} so far): the line is spoken again after a restart")]
    private partial void LogWriteDropped(string kind, string id, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: a write was refused by its fencing token and dropped ({Reason})")]
    private partial void LogWriteFenced(string room, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage still failing at shutdown; {Held} writes were not made (their lines are replayed at the next start)")]
    private partial void LogHeldAtShutdown(int held);
}
