using LiveHost.Avatars;
using LiveHost.Engine.Options;

namespace LiveHost.Host.Avatars;

/// <summary>Makes the presenter of one room from its options (the composition root's seam for avatars).</summary>
public interface IAvatarFactory
{
    /// <summary>A new avatar for room <paramref name="room"/>, owned by the caller.</summary>
    /// <exception cref="LiveHost.Avatars.Packages.AvatarPackageRejectedException">The room's package may not be used.</exception>
    IAvatar Create(string room, RoomOptions options);
}
