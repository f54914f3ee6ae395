using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>Presenter switching (issue 20): the hub's side of SetPresenter.</summary>
public sealed partial class ControlHub
{
    /// <summary>
    /// Addition (issue 20): changes the room's presenter (a built-in look or an avatar package directory) and, with
    /// <paramref name="voice"/>, its default voice: at the next moment between lines, at once with <paramref name="now"/>,
    /// or at <paramref name="at"/>. Producer or admin. Answers the room's state after.
    /// </summary>
    public Task<RoomState> SetPresenter(string? room, string? avatar, string? voice = null, bool? now = null, DateTimeOffset? at = null) =>
        RunAsync(nameof(SetPresenter), Role.Producer, room, (r, ct) => r.SetPresenterAsync(new PresenterRequest(avatar, voice, now, at, r.Name), ct));
}
