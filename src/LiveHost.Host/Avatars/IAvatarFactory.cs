using LiveHost.Avatars;
using LiveHost.Engine.Options;

namespace LiveHost.Host.Avatars;

/// <summary>Makes the presenter of one room from its options (the composition root's seam for avatars).</summary>
public interface IAvatarFactory
{
    /// <summary>A new avatar for room <paramref name="room"/>, owned by the caller.</summary>
    /// <exception cref="LiveHost.Avatars.Packages.AvatarPackageRejectedException">The room's package may not be used.</exception>
    IAvatar Create(string room, RoomOptions options);

    /// <summary>Builds a presenter for the room without showing it yet (SetPresenter); by default simply <see cref="Create"/>.</summary>
    PreparedAvatar Prepare(string room, RoomOptions options) => new(Create(room, options), options.Avatar, null, null);

    /// <summary>From now on the room shows <paramref name="made"/> (for the consent watcher).</summary>
    void MarkShowing(string room, PreparedAvatar made)
    {
    }
}
