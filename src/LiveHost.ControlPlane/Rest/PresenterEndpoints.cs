using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LiveHost.ControlPlane;

/// <summary><c>PUT /api/rooms/{room}/presenter</c>: the REST mirror of the hub's SetPresenter (producer or admin).</summary>
public static class PresenterEndpoints
{
    private const string Shape = "{ \"avatar\": \"cartoon\" | \"cartoon-b\" | \"cartoon-fullbody\" | \"<package directory>\", \"voice\"?: \"...\", " +
        "\"now\"?: true, \"at\"?: \"2026-12-24T18:00:00Z\" }";

    public static void MapPresenterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/api/rooms/{room}/presenter", async (string room, HttpRequest request, RoomResolver rooms) =>
            {
                var controller = rooms.Resolve(room);
                var body = await JsonBody.ReadAsync<PresenterRequest>(request, Shape);
                if (body.Value is null) return body.Problem!;
                return Results.Ok(await controller.SetPresenterAsync(body.Value with { Room = controller.Name }, request.HttpContext.RequestAborted));
            })
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("SetPresenter"));
    }
}
