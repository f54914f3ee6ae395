using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// <c>/api/rooms/{room}/outputs</c>: list (producer+), add (with an optional <c>Idempotency-Key</c>), remove, pause and
/// resume (admin). The work is <see cref="IRoomOutputs"/>'s;
/// without one registered these answer 503 rather than failing the start, so the control plane runs alone in tests.
/// </summary>
public static class OutputEndpoints
{
    private const string Shape = "{ \"url\": \"rtmp[s]://host/app/key | srt://... | https://host/whip\", \"trustedCa\": null, \"preset\": null, \"bearerToken\": null, \"iceServers\": null }";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

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

                var request = body.Value.Normalized();
                var key = context.Request.Headers[IdempotencyKeyHeader].ToString();
                if (!context.Request.Headers.ContainsKey(IdempotencyKeyHeader))
                {
                    return Created(name, service.Add(name, request));
                }

                if (OutputIdempotency.Validate(key) is { } badKey)
                {
                    throw new CommandRejectedException(RejectionCode.InvalidInput, badKey);
                }

                var (output, created) = context.RequestServices.GetRequiredService<OutputIdempotency>().AddOnce(
                    name, key, request, () => service.Add(name, request), id => service.List(name).FirstOrDefault(o => o.Id == id));
                return created ? Created(name, output) : Results.Ok(output);
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

        outputs.MapPost("/{id}/pause", (string room, string id, HttpContext context, RoomResolver rooms) =>
                Change(rooms.Resolve(room).Name, id, Outputs(context).Pause))
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("PauseOutput"));

        outputs.MapPost("/{id}/resume", (string room, string id, HttpContext context, RoomResolver rooms) =>
                Change(rooms.Resolve(room).Name, id, Outputs(context).Resume))
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("ResumeOutput"));
    }

    private static IResult Created(string room, OutputState output) =>
        Results.Created($"/api/rooms/{Uri.EscapeDataString(room)}/outputs/{Uri.EscapeDataString(output.Id)}", output);

    private static IResult Change(string room, string id, Func<string, string, OutputState?> change) =>
        Results.Ok(change(room, id) ?? throw new CommandRejectedException(RejectionCode.NotFound, $"room '{room}' has no output '{id}'"));

    private static IRoomOutputs Outputs(HttpContext context) =>
        context.RequestServices.GetService<IRoomOutputs>()
        ?? throw new CommandRejectedException(RejectionCode.Unavailable, "outputs cannot be managed: this server has no output service");
}
