using LiveHost.Avatars.Packages;

namespace LiveHost.Host.Avatars;

/// <summary>
/// A room's avatar package refused at start (consent missing, unsigned, expired, out of scope, revoked; recording or
/// frames not the consented ones; a duplicate id...): the process ends with one line on stderr naming the package
/// and the reason, and exit code <see cref="ExitCode"/>, instead of an unhandled exception and its stack trace.
/// </summary>
public static class AvatarStartupRefusal
{
    /// <summary>77, EX_NOPERM in sysexits.h: the likeness may not be shown.</summary>
    public const int ExitCode = 77;

    /// <summary>The package refusal at the root of <paramref name="error"/>, or null when it is something else.</summary>
    public static AvatarPackageRejectedException? Find(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is AvatarPackageRejectedException refused) return refused;
        }
        return null;
    }

    /// <summary>The one line printed before exiting.</summary>
    public static string Line(AvatarPackageRejectedException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return $"livehost: not starting: {refused.Message.ReplaceLineEndings(" ")} (exit code {ExitCode})";
    }
}
