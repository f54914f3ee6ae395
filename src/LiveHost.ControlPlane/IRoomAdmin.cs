using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>
/// Body of <c>PUT /api/rooms/{room}</c>: a room's settings, as under <c>Rooms:{room}</c> in the configuration (each
/// field optional, with the configuration's defaults). <see cref="Outputs"/> are RTMP URLs; <see cref="Moderation"/> is
/// <c>block</c>, <c>review</c> or <c>off</c>.
/// </summary>
public sealed record RoomSettingsRequest(
    string? Language = null,
    int? Width = null,
    int? Height = null,
    int? Fps = null,
    string? Avatar = null,
    string? MouthSource = null,
    string? Moderation = null,
    IReadOnlyList<string>? Outputs = null);

/// <summary>Rooms made and removed at run time by an admin (the host's side; see <c>RoomAdmin</c>).</summary>
public interface IRoomAdmin
{
    /// <summary>
    /// Creates the room (true) or replaces one made at run time with new settings (false: it restarts with them; its
    /// queue stays). Refuses (and changes nothing) bad settings, a room from the configuration, and a new room past the
    /// configured maximum (<see cref="RejectionCode.NoCapacity"/>).
    /// </summary>
    Task<(RoomState State, bool Created)> PutAsync(string room, RoomSettingsRequest settings, CancellationToken cancellationToken);

    /// <summary>Stops and removes a room made at run time; its stored settings go with it.</summary>
    Task DeleteAsync(string room, CancellationToken cancellationToken);
}
