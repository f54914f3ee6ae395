using LiveHost.Engine.Lines;
using LiveHost.Engine.Playback;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// SetPresenter: the new presenter is prepared first (package loaded, consent checked, first frame drawn, off the tick);
/// a refusal changes nothing. Then:
/// - <c>now</c>: it fades in on the next frame, mid-line, and the default voice changes at once;
/// - otherwise a presenter line (<see cref="LineKind.Presenter"/>) goes first in the queue and the engine shows it at
///   the next moment between lines (after the line speaking, before the next); a newer such switch replaces a waiting one;
/// - with <c>at</c> the presenter line is scheduled like any scheduled line: at its moment it goes to the front of the
///   queue, and is shown between lines. Waiting and scheduled switches are stored like lines and survive a restart.
/// Lines already accepted keep the voice they were given; lines accepted later without a voice get the new default.
/// </summary>
public sealed partial class RoomController
{
    private readonly IPresenterStage? presenter;

    public async ValueTask<RoomState> SetPresenterAsync(PresenterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureRunning();
        if (presenter is null)
        {
            throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{Name}' cannot switch presenters");
        }
        var avatar = request.Avatar?.Trim();
        if (string.IsNullOrEmpty(avatar))
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput,
                "avatar is required: a built-in look (cartoon, cartoon-b, cartoon-fullbody) or an avatar package directory");
        }
        if (request.Now == true && request.At is not null)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, "now and at cannot be used together: switch now, or at a moment");
        }
        var voice = request.Voice is null ? null : validator.CheckVoice(engine.Room.Language, request.Voice).Id;
        var at = CheckAt(request.At);
        EnsureStorageWorks();

        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        presenter.Prepare(id, avatar);
        try
        {
            if (request.Now == true)
            {
                if (!presenter.TryShow(id)) throw new CommandRejectedException(RejectionCode.AvatarRefused, $"the presenter '{avatar}' was withdrawn before it could be shown");
                if (voice is not null) engine.SetDefaultVoice(voice);
                var state = GetState();
                events.StateChanged(state);
                return state;
            }
            var line = new Line(id, Name, avatar, engine.Room.Language, LineStatus.Queued, null, time.GetUtcNow(), null, null,
                Voice: voice, Kind: LineKind.Presenter, At: at);
            if (at is not null)
            {
                await ScheduleAsync(line, cancellationToken).ConfigureAwait(false);
                return GetState();
            }
            await ReplaceWaitingSwitchesAsync(cancellationToken).ConfigureAwait(false);
            await AdmitAsync(line, front: true, cancellationToken).ConfigureAwait(false);
            Announce(RoomCommand.Wake);
            return GetState();
        }
        catch
        {
            presenter.Discard(id);
            throw;
        }
    }

    // A switch waiting for the next moment between lines is replaced by a newer one (it finishes removed).
    private async Task ReplaceWaitingSwitchesAsync(CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            foreach (var waiting in queue.Snapshot().Where(l => l.Kind == LineKind.Presenter))
            {
                if (!queue.TryRemove(waiting.Id, out var line)) continue;
                presenter?.Discard(line.Id);
                journal.LineFinished(line.Id, FinishReason.Removed, now);
                events.LineFinished(line with { Status = LineStatus.Done, Reason = FinishReason.Removed, FinishedAt = now });
            }
        }
        finally
        {
            _admission.Release();
        }
    }

    // A line in the room's language that names no voice gets the room's default voice (set by SetPresenter).
    private LineRequest WithDefaultVoice(LineRequest request)
    {
        if (engine.DefaultVoice is not { } voice || !string.IsNullOrWhiteSpace(request.Voice)) return request;
        var language = string.IsNullOrWhiteSpace(request.Language) ? engine.Room.Language : request.Language.Trim().ToLowerInvariant();
        return language == engine.Room.Language ? request with { Voice = voice } : request;
    }
}
