using System.Security.Claims;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace LiveHost.ControlPlane;

/// <summary>Reads the caller's role from the principal the "ApiKey" scheme built, and words refusals.</summary>
public static class CallerRole
{
    public static bool TryGet(ClaimsPrincipal? user, out Role role)
    {
        role = Role.Viewer;
        return user?.Identity?.IsAuthenticated == true
            && RoleNames.TryParse(user.FindFirst(ApiKeyDefaults.RoleClaim)?.Value, out role);
    }

    /// <summary>"this needs the producer role; your key has seller".</summary>
    public static string MissingRoleMessage(Role needed, Role? held) =>
        held is { } h
            ? $"this needs the {needed.ToName()} role; your key has {h.ToName()}"
            : $"this needs the {needed.ToName()} role; no valid API key was presented";

    /// <summary>For hub methods: throws a <see cref="HubException"/> that names the missing role (a Forbidden refusal inside).</summary>
    public static void Demand(ClaimsPrincipal? user, Role needed)
    {
        Role? held = TryGet(user, out var role) ? role : null;
        if (held is null || held < needed)
        {
            var message = MissingRoleMessage(needed, held);
            throw new HubException(message, new CommandRejectedException(RejectionCode.Forbidden, message));
        }
    }
}
