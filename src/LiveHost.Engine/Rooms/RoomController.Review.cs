using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// Moderation before air: every line the room accepts is screened by the room's <see cref="ILinePolicy"/> once it is
/// valid and before it is stored. Mode <c>block</c> refuses it (<see cref="RejectionCode.BlockedTerm"/>, naming the
/// term and where it is); mode <c>review</c> holds it in <see cref="Reviews"/> (the caller's ticket has position -1)
/// until a producer approves (optionally with new text), or rejects it.
/// </summary>
public sealed partial class RoomController
{
    /// <summary>The room's held lines; the engine owns the list so that every state it reports counts them (<see cref="RoomState.Held"/>).</summary>
    public ReviewList Reviews => engine.Reviews;

    public IReadOnlyList<HeldLine> HeldLines() => Reviews.List();

    /// <summary>Null when the line may be queued; the held line's ticket in review mode; throws in block mode.</summary>
    private LineTicket? Screen(Line line, bool cue)
    {
        if (policy is null) return null;
        var verdict = policy.Check(Name, line.Text, line.Caption);
        if (verdict.Passed) return null;
        var hit = verdict.Hit!;
        if (verdict.Mode == ModerationMode.Block)
        {
            throw new CommandRejectedException(RejectionCode.BlockedTerm,
                $"the line contains the blocked term {hit.Describe()}: it may not go on air; rephrase it (an admin can allow a phrase)");
        }
        if (!Reviews.TryAdd(new HeldLine(line, cue, hit, time.GetUtcNow())))
        {
            throw new CommandRejectedException(RejectionCode.Unavailable,
                $"room '{Name}' already holds {ReviewList.Capacity} lines for review; approve or reject some first");
        }
        // No line event (the line is not queued), but consoles learn from the state's Held count to fetch the list.
        events.StateChanged(GetState());
        return new LineTicket(line.Id, Name, -1);
    }

    /// <summary>
    /// Script lines go on air all or none (played once) or unattended (looped), so a line the policy would hold for
    /// review refuses the whole script, like one it blocks.
    /// </summary>
    public void RefuseFlagged(IEnumerable<Line> lines)
    {
        if (policy is null) return;
        foreach (var line in lines)
        {
            var verdict = policy.Check(Name, line.Text, line.Caption);
            if (verdict.Passed) continue;
            throw new CommandRejectedException(RejectionCode.BlockedTerm,
                $"a script line contains the blocked term {verdict.Hit!.Describe()}: script lines are never held for review; rephrase it (an admin can allow a phrase)");
        }
    }

    /// <summary>
    /// Queues a held line (at the front when it was cued), with <paramref name="text"/> in place of its text when given:
    /// new text is validated like any line and must be free of blocked terms. Unknown id: <see cref="RejectionCode.NotFound"/>.
    /// </summary>
    public async ValueTask<LineTicket> ApproveAsync(string lineId, string? text, CancellationToken cancellationToken = default)
    {
        var held = Reviews.Take(lineId) ?? throw NotHeld(lineId);
        try
        {
            var line = held.Line with { QueuedAt = time.GetUtcNow() };
            if (text is not null)
            {
                var valid = validator.Validate(new LineRequest(Name, text, line.Language, line.Voice, line.Tag) { Caption = line.Caption }, engine.Room.Language);
                line = line with { Text = valid.Text };
                if (policy?.Check(Name, line.Text, line.Caption) is { Hit: { } hit, Mode: not ModerationMode.Off })
                {
                    throw new CommandRejectedException(RejectionCode.BlockedTerm,
                        $"the edited line still contains the blocked term {hit.Describe()}: remove it, or approve the line unchanged");
                }
            }
            EnsureStorageWorks();
            if (line.At is not null && !held.Cue) return await ScheduleAsync(line, cancellationToken).ConfigureAwait(false);
            var position = await AdmitAsync(line, held.Cue, cancellationToken).ConfigureAwait(false);
            Announce(held.Cue ? RoomCommand.CueNow : RoomCommand.Wake);
            return new LineTicket(line.Id, Name, held.Cue ? 0 : position + (engine.CurrentLine is null ? 0 : 1));
        }
        catch
        {
            Reviews.PutBack(held);
            throw;
        }
    }

    public ValueTask<LineTicket> HoldForReviewAsync(LineRequest request, string reason, LineOrigin? origin = null)
    {
        var line = Accept(request, origin ?? new LineOrigin(LineSources.Answer));
        var verdict = policy?.Check(Name, line.Text, line.Caption);
        if (verdict is { Passed: false, Mode: ModerationMode.Block }) Screen(line, cue: false);
        var hit = verdict is { Passed: false, Hit: { } found } ? found : new TermHit(reason, "", "source", 0);
        if (!Reviews.TryAdd(new HeldLine(line, false, hit, time.GetUtcNow())))
        {
            throw new CommandRejectedException(RejectionCode.Unavailable,
                $"room '{Name}' already holds {ReviewList.Capacity} lines for review; approve or reject some first");
        }
        events.StateChanged(GetState());
        return ValueTask.FromResult(new LineTicket(line.Id, Name, -1));
    }

    /// <summary>Drops a held line; it was never queued, so no line event follows, only StateChanged (one fewer held).</summary>
    public HeldLine Reject(string lineId)
    {
        var held = Reviews.Take(lineId) ?? throw NotHeld(lineId);
        events.StateChanged(GetState());
        return held;
    }

    private CommandRejectedException NotHeld(string lineId) =>
        new(RejectionCode.NotFound, $"room '{Name}' holds no line '{(lineId.Length <= 64 ? lineId : lineId[..64] + "...")}' for review (it may have been approved or rejected already)");
}
