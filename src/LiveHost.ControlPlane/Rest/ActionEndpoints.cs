using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LiveHost.ControlPlane;

/// <summary><c>POST /api/rooms/{room}/actions/{action}</c>: the REST mirror of the hub's PlayAction (producer or admin).</summary>
public static class ActionEndpoints
{
    public static void MapActionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/rooms/{room}/actions/{action}", async (string room, string action, RoomResolver rooms, CancellationToken cancellationToken) =>
            {
                var controller = rooms.Resolve(room);
                return Results.Ok(await controller.PlayActionAsync(action, cancellationToken));
            })
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("PlayAction"));
    }
}
