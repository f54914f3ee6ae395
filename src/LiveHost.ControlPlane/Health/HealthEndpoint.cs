using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// <c>GET /healthz</c>, no key needed (load balancers and operators probe it): 200 "ok" when every room's clock is on
/// time and storage takes writes, else 503 with the unhealthy rooms as JSON (status "storageFailing" when storage fails,
/// else "lagging").
/// </summary>
public static class HealthEndpoint
{
    public const string Path = "/healthz";

    public static IEndpointConventionBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, (HttpContext context) =>
        {
            var health = context.RequestServices.GetService<IEngineHealth>();
            if (health is null)
            {
                return Results.Json(
                    new HealthReport("unavailable", [new RoomHealth("*", false, 0, "no engine health source is registered")]),
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            IReadOnlyList<RoomHealth> rooms;
            try
            {
                rooms = health.Check();
            }
            catch (Exception exception)
            {
                return Results.Json(
                    new HealthReport("unavailable", [new RoomHealth("*", false, 0, "health check failed: " + exception.Message)]),
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var unhealthy = rooms.Where(r => !r.Healthy).ToArray();
            if (unhealthy.Length == 0) return Results.Text("ok", "text/plain", statusCode: StatusCodes.Status200OK);
            // "storageFailing" when any room cannot write; "stopped" when every room that is not on time was stopped on
            // purpose (consent withdrawn); else "lagging".
            var status = unhealthy.Any(r => r.Storage is not null) ? "storageFailing"
                : unhealthy.All(r => r.Stopped) ? "stopped" : "lagging";
            return Results.Json(new HealthReport(status, unhealthy), statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();

    /// <summary>The 503 body: <c>{ "status": "lagging" | "storageFailing", "rooms": [ { room, onTime, lagMilliseconds, problem, storage } ] }</c>.</summary>
    public sealed record HealthReport(string Status, IReadOnlyList<RoomHealth> Rooms);
}
