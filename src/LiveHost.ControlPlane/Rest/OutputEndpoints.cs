using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// <c>/api/rooms/{room}/outputs</c>: list (producer+), add and remove (admin). The work is <see cref="IRoomOutputs"/>'s;
/// without one registered these answer 503 rather than failing the start, so the control plane runs alone in tests.
/// </summary>
public static class OutputEndpoints
{
    private const string Shape = "{ \"url\": \"rtmp://host/app/key\" }";

    public static void MapOutputEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var outputs = endpoints.MapGroup("/api/rooms/{room}/outputs");

        outputs.MapGet("/", (string room, HttpContext context, RoomResolver rooms) =>
                Results.Ok(Outputs(context).List(rooms.Resolve(room).Name)))
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("ListOutputs"));

        outputs.MapPost("/", async (string room, HttpContext context, RoomResolver rooms) =>
            {
                var name = rooms.Resolve(room).Name;
                var service = Outputs(context);
                var body = await JsonBody.ReadAsync<AddOutputRequest>(context.Request, Shape);
                if (body.Value is null)
                {
                    return body.Problem!;
                }

                if (string.IsNullOrWhiteSpace(body.Value.Url))
                {
                    throw new CommandRejectedException(RejectionCode.InvalidInput, $"the url is required: {Shape}");
                }

                var output = service.Add(name, body.Value.Url.Trim());
                return Results.Created($"/api/rooms/{Uri.EscapeDataString(name)}/outputs/{Uri.EscapeDataString(output.Id)}", output);
            })
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("AddOutput"));

        outputs.MapDelete("/{id}", (string room, string id, HttpContext context, RoomResolver rooms) =>
            {
                var name = rooms.Resolve(room).Name;
                if (!Outputs(context).Remove(name, id))
                {
                    throw new CommandRejectedException(RejectionCode.NotFound, $"room '{name}' has no output '{id}'");
                }

                return Results.NoContent();
            })
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("RemoveOutput"));
    }

    private static IRoomOutputs Outputs(HttpContext context) =>
        context.RequestServices.GetService<IRoomOutputs>()
        ?? throw new CommandRejectedException(RejectionCode.Unavailable, "outputs cannot be managed: this server has no output service");
}
