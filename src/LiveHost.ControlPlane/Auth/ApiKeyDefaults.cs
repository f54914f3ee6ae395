namespace LiveHost.ControlPlane;

public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme name.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The claim carrying the role's lowercase name (viewer, seller, producer, admin).</summary>
    public const string RoleClaim = "livehost:role";

    /// <summary>SignalR's browser and WebSocket clients cannot set headers, so they send the key here (hub paths only).</summary>
    public const string QueryParameter = "access_token";

    /// <summary>Paths under which <see cref="QueryParameter"/> is accepted.</summary>
    public const string HubPathPrefix = "/hubs";
}
