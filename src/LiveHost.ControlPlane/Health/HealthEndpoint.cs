using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// <c>GET /healthz</c>, no key needed (load balancers and operators probe it): 200 "ok" when every room's clock is on
/// time, else 503 with the lagging rooms as JSON.
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

            var lagging = rooms.Where(r => !r.OnTime).ToArray();
            if (lagging.Length == 0) return Results.Text("ok", "text/plain", statusCode: StatusCodes.Status200OK);
            // "stopped" when every room that is not on time was stopped on purpose (consent withdrawn), else "lagging".
            var status = lagging.All(r => r.Stopped) ? "stopped" : "lagging";
            return Results.Json(new HealthReport(status, lagging), statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();

    /// <summary>The 503 body: <c>{ "status": "lagging", "rooms": [ { room, onTime, lagMilliseconds, problem } ] }</c>.</summary>
    public sealed record HealthReport(string Status, IReadOnlyList<RoomHealth> Rooms);
}
