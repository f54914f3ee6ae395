using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace LiveHost.ControlPlane;

public static class ControlPlaneEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The hub at <c>/hubs/control</c>, the REST API under <c>/api/rooms</c>, and the key-free operator endpoints
    /// <c>/healthz</c> and <c>/metrics</c>, WHEP under <c>/whep/{room}</c> and the player at <c>/watch/{room}</c> (served from the injected <see cref="CollectorRegistry"/>).
    /// Authentication and authorization middleware are added by WebApplication automatically; a host built another
    /// way must call UseAuthentication() and UseAuthorization() before these endpoints.
    /// </summary>
    public static IEndpointRouteBuilder MapLiveHostControlPlane(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<ControlHub>(ControlHubEvents.HubPath);
        endpoints.MapRoomEndpoints();
        endpoints.MapPresenterEndpoints();
        endpoints.MapActionEndpoints();
        endpoints.MapRoomAdminEndpoints();
        Capacity.CapacityEndpoints.MapCapacityEndpoints(endpoints);
        endpoints.MapQueueEndpoints();
        endpoints.MapAudioLineEndpoints();
        endpoints.MapOutputEndpoints();
        Recordings.RecordingEndpoints.MapRecordingEndpoints(endpoints);
        endpoints.MapScriptEndpoints();
        endpoints.MapProductEndpoints();
        endpoints.MapAuditEndpoints();
        endpoints.MapCommentEndpoints();
        endpoints.MapWhepEndpoints();
        endpoints.MapHealthEndpoint();
        endpoints.MapConsoleEndpoints();
        var registry = endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>();
        endpoints.MapMetrics("/metrics", registry).AllowAnonymous();
        return endpoints;
    }
}
