using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary><c>PUT</c> and <c>DELETE /api/rooms/{room}</c>: rooms made and removed at run time (admin only).</summary>
public static class RoomAdminEndpoints
{
    private const string Shape = "{ \"language\"?: \"en\" | \"zh\", \"width\"?: 1280, \"height\"?: 720, \"fps\"?: 25 | 30, \"avatar\"?: \"cartoon\", " +
        "\"mouthSource\"?: \"phonemes\" | \"audio\", \"moderation\"?: \"block\" | \"review\" | \"off\", \"outputs\"?: [\"rtmp://...\"] }";

    public static void MapRoomAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/api/rooms/{room}", async (string room, HttpRequest request) =>
            {
                var body = await JsonBody.ReadAsync<RoomSettingsRequest>(request, Shape);
                if (body.Value is null) return body.Problem!;
                var (state, created) = await Admin(request).PutAsync(room, body.Value, request.HttpContext.RequestAborted);
                return created ? Results.Created($"/api/rooms/{Uri.EscapeDataString(state.Room)}", state) : Results.Ok(state);
            })
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("PutRoom"));

        endpoints.MapDelete("/api/rooms/{room}", async (string room, HttpRequest request) =>
            {
                await Admin(request).DeleteAsync(room, request.HttpContext.RequestAborted);
                return Results.NoContent();
            })
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("DeleteRoom"));
    }

    private static IRoomAdmin Admin(HttpRequest request) =>
        request.HttpContext.RequestServices.GetService<IRoomAdmin>()
        ?? throw new CommandRejectedException(RejectionCode.Unavailable, "this server does not make rooms at run time");
}
