namespace LiveHost.Avatars;

/// <summary>
/// An avatar that can play named actions (wave, point, nod, show-product) and then return to its idle loop. An
/// <see cref="IAvatar"/> may also implement this; the room asks <c>avatar as IAvatarActions</c>. Called from the room's
/// tick thread only.
/// </summary>
public interface IAvatarActions
{
    /// <summary>The actions this avatar can play, by name.</summary>
    IReadOnlyList<string> Actions { get; }

    /// <summary>Starts <paramref name="action"/> at the next good moment; false when the avatar has no such action.</summary>
    bool TryPlay(string action);

    /// <summary>The action being drawn on the last frame, or null (at rest, or still waiting for its moment). Any thread.</summary>
    string? Playing { get; }
}
