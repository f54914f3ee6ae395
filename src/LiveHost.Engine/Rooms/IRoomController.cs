using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// The commands the control plane may give one room. Each validates, persists, and hands the change to the
/// room's engine loop; none touches media. Invalid commands throw <see cref="CommandRejectedException"/> and change nothing.
/// </summary>
public interface IRoomController
{
    string Name { get; }

    ValueTask<LineTicket> EnqueueAsync(LineRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a line the server itself composed (an FAQ answer, a model's answer), marked with where it came from
    /// (<see cref="Line.Source"/>). Rooms that do not keep origins queue it as <see cref="EnqueueAsync(LineRequest, CancellationToken)"/>.
    /// </summary>
    ValueTask<LineTicket> EnqueueAsync(LineRequest request, LineOrigin origin, CancellationToken cancellationToken = default) =>
        EnqueueAsync(request, cancellationToken);

    /// <summary>
    /// Interrupts the current line (it finishes as interrupted) and speaks this one next frame; a non-interruptible
    /// current line plays to its end first.
    /// </summary>
    ValueTask<LineTicket> CueNowAsync(LineRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues recorded audio (48 kHz mono) as a line, played like a spoken one; its caption is the line's text.
    /// Rooms that cannot play recorded audio refuse it.
    /// </summary>
    ValueTask<LineTicket> EnqueueAudioAsync(AudioLineRequest request, CancellationToken cancellationToken = default) =>
        throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' does not play recorded audio");

    /// <summary>Like <see cref="CueNowAsync"/> for recorded audio: interrupts the current line and plays this clip next frame.</summary>
    ValueTask<LineTicket> CueAudioNowAsync(AudioLineRequest request, CancellationToken cancellationToken = default) =>
        throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' does not play recorded audio");

    /// <summary>
    /// Puts a new line at <paramref name="position"/> of the waiting queue (0 = next, the queue's length = last).
    /// Out of range: <see cref="RejectionCode.InvalidInput"/> naming the valid range.
    /// </summary>
    ValueTask<LineTicket> InsertAsync(LineRequest request, int position, CancellationToken cancellationToken = default) =>
        throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' does not edit its queue");

    /// <summary>
    /// Moves a waiting line to <paramref name="position"/> (0 = next); the room's state after. A line speaking, done or
    /// scheduled: <see cref="RejectionCode.LineNotQueued"/>; no such line: <see cref="RejectionCode.UnknownLine"/>.
    /// </summary>
    ValueTask<RoomState> MoveAsync(string lineId, int position, CancellationToken cancellationToken = default) =>
        throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' does not edit its queue");

    /// <summary>Takes a waiting or scheduled line out (it finishes <c>removed</c>); the room's state after. Errors as for <see cref="MoveAsync"/>.</summary>
    ValueTask<RoomState> RemoveAsync(string lineId, CancellationToken cancellationToken = default) =>
        throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' does not edit its queue");

    /// <summary>
    /// Changes the room's presenter (and default voice) at the next moment between lines, at once with <c>now</c>, or at
    /// <c>at</c>; the new presenter's package and consent are checked first, and a refusal changes nothing. Answers the
    /// room's state after (a waiting switch shows in its queue as a <c>presenter</c> line).
    /// </summary>
    ValueTask<RoomState> SetPresenterAsync(PresenterRequest request, CancellationToken cancellationToken = default) =>
        throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' cannot switch presenters");

    /// <summary>
    /// Plays one of the presenter's actions (wave, point...) at its next good moment; answers the room's state.
    /// Unknown action: <see cref="RejectionCode.UnknownAction"/> listing those there are; a presenter without actions:
    /// <see cref="RejectionCode.NoActions"/>.
    /// </summary>
    ValueTask<RoomState> PlayActionAsync(string? action, CancellationToken cancellationToken = default) =>
        throw new CommandRejectedException(RejectionCode.NoActions, $"room '{Name}' plays no actions");

    ValueTask SkipAsync(CancellationToken cancellationToken = default);
    ValueTask PauseAsync(CancellationToken cancellationToken = default);
    ValueTask ResumeAsync(CancellationToken cancellationToken = default);
    ValueTask ClearQueueAsync(CancellationToken cancellationToken = default);

    RoomState GetState();

    /// <summary>Lines waiting for a producer's review (moderation mode <c>review</c>), oldest first.</summary>
    IReadOnlyList<HeldLine> HeldLines() => [];

    /// <summary>Queues a held line, with new text when given (checked again); <see cref="RejectionCode.NotFound"/> when none is held by that id.</summary>
    ValueTask<LineTicket> ApproveAsync(string lineId, string? text, CancellationToken cancellationToken = default) =>
        throw new CommandRejectedException(RejectionCode.NotFound, $"room '{Name}' holds no lines for review");

    /// <summary>
    /// Validates a line and holds it in the review list whatever its text (a model's answer in a room that reviews them),
    /// with <paramref name="reason"/> as its term; a blocked term in block mode is refused as for any line.
    /// <paramref name="origin"/>: the line's source once queued (default <see cref="LineSources.Answer"/>).
    /// </summary>
    ValueTask<LineTicket> HoldForReviewAsync(LineRequest request, string reason, LineOrigin? origin = null) =>
        throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' holds no lines for review");

    /// <summary>Drops a held line.</summary>
    HeldLine Reject(string lineId) =>
        throw new CommandRejectedException(RejectionCode.NotFound, $"room '{Name}' holds no lines for review");
}
