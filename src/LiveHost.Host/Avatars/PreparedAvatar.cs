using LiveHost.Avatars;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic;

namespace LiveHost.Host.Avatars;

/// <summary>A presenter built for a room but not necessarily shown yet (<see cref="AvatarFactory.Prepare"/>).</summary>
/// <param name="Avatar">The presenter, owned by whoever shows it.</param>
/// <param name="Id">The avatar id it is shown as (a built-in look, or the package's id).</param>
/// <param name="Consent">The consent it is shown under (null: the built-in cartoon).</param>
/// <param name="Realistic">The realistic avatar, for the rooms' lip-sync metrics (null: a cartoon).</param>
public sealed record PreparedAvatar(IAvatar Avatar, string Id, ConsentIdentity? Consent, RealisticAvatar? Realistic);
