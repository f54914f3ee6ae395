using System.Security.Claims;
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

    /// <summary>For hub methods: throws a <see cref="HubException"/> that names the missing role.</summary>
    public static void Demand(ClaimsPrincipal? user, Role needed)
    {
        if (!TryGet(user, out var held))
        {
            throw new HubException(MissingRoleMessage(needed, null));
        }

        if (held < needed)
        {
            throw new HubException(MissingRoleMessage(needed, held));
        }
    }
}
