using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>Avatar actions (issue 13): the hub's side of PlayAction.</summary>
public sealed partial class ControlHub
{
    /// <summary>
    /// Addition (issue 13): plays one of the presenter's actions (<c>RoomState.actions</c>: wave, point...) at its next good
    /// moment. Producer or admin. Answers the room's state; <c>playingAction</c> names it while its frames are drawn.
    /// </summary>
    public Task<RoomState> PlayAction(string? room, string? action) =>
        RunAsync(nameof(PlayAction), Role.Producer, room, (r, ct) => r.PlayActionAsync(action, ct),
            mirror: () => Cluster.RestMirror.Post("actions/" + Uri.EscapeDataString(action ?? "")));
}
