using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// Queue editing and scheduled lines. Every edit holds the admission gate, so order keys, durable writes and the
/// in-memory queue agree; the engine's tick only ever takes the first waiting line, and each edit below stays right
/// when it does so in between (a line is placed before a named neighbour, never at a bare index).
///
/// - Insert at a position: the new row and the queue's new order are written in one transaction before the line is
///   visible (an accepted line is never lost, and its place survives a restart).
/// - Move: the new order is written first; refused with storage failing, and nothing changes.
/// - Remove: the line leaves the queue (or the schedule) and finishes <see cref="FinishReason.Removed"/>; answered once
///   that is on disk.
/// - Scheduled lines wait in the queue's schedule until their <see cref="Line.At"/>; a timer on the room's
///   <see cref="TimeProvider"/> then puts them at the front of the queue (they do not cut the line speaking). Lines
///   whose moment passed while the server was down go to the front at start.
/// </summary>
public sealed partial class RoomController
{
    private readonly ITimer _scheduleTimer;

    /// <summary>Puts a new line at <paramref name="position"/> of the waiting queue (0 = next, Count = last).</summary>
    public async ValueTask<LineTicket> InsertAsync(LineRequest request, int position, CancellationToken cancellationToken = default)
    {
        RefuseAt(request, "an inserted line takes its place now");
        var line = Accept(request, LineOrigin.Live);
        int placed;
        await _admission.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureRoomInQueue();
            var waiting = queue.Snapshot();
            if (position < 0 || position > waiting.Count)
            {
                throw new CommandRejectedException(
                    RejectionCode.InvalidInput,
                    $"position {position} is out of range: {waiting.Count} lines wait in room '{Name}', so use 0 (next) to {waiting.Count} (last)");
            }
            var ids = waiting.Select(l => l.Id).ToList();
            ids.Insert(position, line.Id);
            try
            {
                await journal.InsertAtAsync(line, ReserveOrder(ids)).ConfigureAwait(false);
            }
            catch (StorageFailedException ex)
            {
                throw new CommandRejectedException(RejectionCode.StorageFailed, $"{ex.Message}; the line was not accepted");
            }
            var before = position < waiting.Count ? waiting[position].Id : null;
            placed = queue.InsertBefore(line, before, () => events.LineQueued(line));
        }
        finally
        {
            _admission.Release();
        }
        Announce(RoomCommand.Wake);
        return new LineTicket(line.Id, Name, placed + (engine.CurrentLine is null ? 0 : 1));
    }

    /// <summary>Moves a waiting line to <paramref name="position"/> (0 = next, Count - 1 = last); answers the room's state after.</summary>
    public async ValueTask<RoomState> MoveAsync(string lineId, int position, CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        EnsureStorageWorks();
        await _admission.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var waiting = queue.Snapshot();
            var from = IndexOf(waiting, lineId);
            if (from < 0) throw NotQueued(lineId);
            if (position < 0 || position >= waiting.Count)
            {
                throw new CommandRejectedException(
                    RejectionCode.InvalidInput,
                    $"position {position} is out of range: {waiting.Count} lines wait in room '{Name}', so use 0 (next) to {waiting.Count - 1} (last)");
            }
            var ids = waiting.Select(l => l.Id).ToList();
            ids.RemoveAt(from);
            ids.Insert(position, lineId);
            try
            {
                await journal.ReorderAsync(ReserveOrder(ids)).ConfigureAwait(false);
            }
            catch (StorageFailedException ex)
            {
                throw new CommandRejectedException(RejectionCode.StorageFailed, $"{ex.Message}; the line was not moved");
            }
            // The lines still waiting keep the order just written even if the room took some meanwhile.
            if (!queue.MoveBefore(lineId, position + 1 < ids.Count ? ids[position + 1] : null)) throw NotQueued(lineId);
        }
        finally
        {
            _admission.Release();
        }
        var state = GetState();
        events.StateChanged(state);
        return state;
    }

    /// <summary>Takes a waiting or scheduled line out; it finishes <see cref="FinishReason.Removed"/>. Answers the room's state after.</summary>
    public async ValueTask<RoomState> RemoveAsync(string lineId, CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        EnsureStorageWorks();
        await _admission.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!queue.TryRemove(lineId, out var line)) throw NotQueued(lineId);
            var now = time.GetUtcNow();
            journal.LineFinished(line.Id, FinishReason.Removed, now);
            events.LineFinished(line with { Status = LineStatus.Done, Reason = FinishReason.Removed, FinishedAt = now });
            if (line.At is not null) ArmScheduleTimer();
        }
        finally
        {
            _admission.Release();
        }
        events.StateChanged(GetState());
        await FlushAsync("the line was removed", cancellationToken).ConfigureAwait(false);
        return GetState();
    }

    private async Task<LineTicket> ScheduleAsync(Line line, CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureRoomInQueue();
            try
            {
                await journal.InsertAsync(line, 0).ConfigureAwait(false);
            }
            catch (StorageFailedException ex)
            {
                throw new CommandRejectedException(RejectionCode.StorageFailed, $"{ex.Message}; the line was not accepted");
            }
            queue.Schedule(line, () => events.LineQueued(line));
            // Due already (within the clock slack): to the front now, like any line whose moment came.
            PromoteDue();
            ArmScheduleTimer();
        }
        finally
        {
            _admission.Release();
        }
        events.StateChanged(GetState());
        return new LineTicket(line.Id, Name, 0);
    }

    // Order keys for the waiting lines in their new order: above every key given so far, so lines queued at the back
    // later still sort after them, and lines cued to the front before them.
    private QueueOrder ReserveOrder(IReadOnlyList<string> ids)
    {
        var first = _backOrder + 1;
        _backOrder += ids.Count;
        return new QueueOrder(ids, first);
    }

    private static int IndexOf(IReadOnlyList<Line> lines, string id)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Id == id) return i;
        }
        return -1;
    }

    // Why a line cannot be moved or removed: it is speaking, scheduled, finished, or the room never had it.
    private CommandRejectedException NotQueued(string lineId)
    {
        if (engine.CurrentLine?.Id == lineId)
        {
            return new(RejectionCode.LineNotQueued, $"line {lineId} is speaking, no longer waiting in the queue: Skip ends it");
        }
        if (queue.FindScheduled(lineId) is { At: { } at })
        {
            return new(RejectionCode.LineNotQueued,
                $"line {lineId} is scheduled for {at:yyyy-MM-dd'T'HH:mm:ss'Z'} and not in the queue yet: remove it and queue it again to place it by hand");
        }
        return journal.Lines.FindStatus(Name, lineId) switch
        {
            LineStatus.Done => new(RejectionCode.LineNotQueued, $"line {lineId} has finished, no longer waiting in the queue"),
            LineStatus.Queued or LineStatus.Speaking => new(RejectionCode.LineNotQueued, $"line {lineId} has started, no longer waiting in the queue"),
            _ => new(RejectionCode.UnknownLine, $"room '{Name}' has no line '{lineId}'"),
        };
    }

    private static void RefuseAt(LineRequest request, string why)
    {
        if (request.At is not null)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"at cannot be used here: {why}; queue the line (EnqueueLine, POST /lines) to schedule it");
        }
    }

    private DateTimeOffset? CheckAt(DateTimeOffset? requested)
    {
        if (requested is not { } at) return null;
        var now = time.GetUtcNow();
        if (at < now - TimeSpan.FromMilliseconds(options.ScheduleClockSlackMilliseconds))
        {
            throw new CommandRejectedException(
                RejectionCode.InvalidInput,
                $"at {Utc(at)} is in the past (the server's time is {Utc(now)}): send a moment ahead, or leave at out to queue the line now");
        }
        if (at > now + TimeSpan.FromDays(options.MaxScheduleDays))
        {
            throw new CommandRejectedException(
                RejectionCode.InvalidInput,
                $"at {Utc(at)} is more than {options.MaxScheduleDays} days ahead (the server's time is {Utc(now)}): schedule it later");
        }
        return at.ToUniversalTime();
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    // At start: lines scheduled before the restart wait again; those whose moment passed meanwhile go to the front now.
    private void LoadSchedule()
    {
        foreach (var line in journal.Lines.LoadScheduled(Name)) queue.Schedule(line, static () => { });
        PromoteDue();
        ArmScheduleTimer();
    }

    private void OnScheduleDue() => _ = FireDueAsync();

    private async Task FireDueAsync()
    {
        await _admission.WaitAsync().ConfigureAwait(false);
        try
        {
            PromoteDue();
            ArmScheduleTimer();
        }
        finally
        {
            _admission.Release();
        }
    }

    // Holder of the admission gate (or the constructor): every due line to the front, soonest first.
    private void PromoteDue()
    {
        if (_stoppedReason is not null) return;
        // Called for the last due line first: the soonest ends with the smallest key, first in the queue.
        var due = queue.PromoteDue(time.GetUtcNow(), (line, _) => journal.LineFired(line.Id, --_frontOrder));
        if (due.Count == 0) return;
        engine.Post(RoomCommand.Wake);
        events.StateChanged(GetState());
    }

    private void ArmScheduleTimer()
    {
        if (queue.NextDue is not { } next)
        {
            _scheduleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        // Timers take at most about 49 days; a later moment is reached in steps of a day (each wake re-arms).
        var wait = next - time.GetUtcNow();
        _scheduleTimer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : wait, Timeout.InfiniteTimeSpan);
    }
}
