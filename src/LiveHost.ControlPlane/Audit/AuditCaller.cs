using System.Security.Claims;

namespace LiveHost.ControlPlane;

/// <summary>Who called and how it ended, worded the same for hub and REST entries.</summary>
public sealed class AuditCaller(ApiKeyStore keys)
{
    public const string Ok = "ok";
    public const string Aborted = "aborted";

    /// <summary>Longest room name recorded; a longer one (refused as unknown anyway) is cut and marked.</summary>
    public const int MaxRoomLength = 200;

    public static string Refused(string code) => "refused: " + code;

    public static string Failed(string code) => "failed: " + code;

    public static string? KeyName(ClaimsPrincipal? user) => user?.Identity?.IsAuthenticated == true ? user.Identity.Name : null;

    public static string? RoleName(ClaimsPrincipal? user) => CallerRole.TryGet(user, out var role) ? role.ToName() : null;

    public static string? Limit(string? room) =>
        room is { Length: > MaxRoomLength } ? string.Concat(room.AsSpan(0, MaxRoomLength), $"…[{room.Length} characters]") : room;

    /// <summary>True when <paramref name="value"/> is one of the server's API keys (so it is never recorded).</summary>
    public bool IsApiKey(string value) => value.Length <= 1024 && keys.TryAuthenticate(value, out _);
}
