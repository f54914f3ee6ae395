using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// Queue editing over REST (producer+), mirrors of the hub's InsertLine, MoveLine and RemoveLine:
/// <c>POST /api/rooms/{room}/queue</c> (a line at a position), <c>PUT /api/rooms/{room}/queue/{lineId}</c> (move it),
/// <c>DELETE /api/rooms/{room}/queue/{lineId}</c> (remove it). Refusals become ProblemDetails through
/// <see cref="CommandRejectionFilter"/>.
/// </summary>
public static class QueueEndpoints
{
    private const string InsertShape =
        "{ \"text\": \"...\", \"position\": 0, \"language\"?: \"en\" | \"zh\", \"voice\"?: \"...\", \"tag\"?: \"...\", \"interruptible\"?: false, \"product\"?: \"...\" }";

    private const string MoveShape = "{ \"position\": 0 }";

    public static void MapQueueEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/rooms/{room}/queue");

        api.MapPost("/", InsertAsync).RequireRole(Role.Producer).AddEndpointFilter(new CommandRejectionFilter("InsertLine"));
        api.MapPut("/{lineId}", MoveAsync).RequireRole(Role.Producer).AddEndpointFilter(new CommandRejectionFilter("MoveLine"));
        api.MapDelete("/{lineId}", async (string room, string lineId, RoomResolver rooms, CancellationToken cancellationToken) =>
                Results.Ok(await rooms.Resolve(room).RemoveAsync(lineId, cancellationToken)))
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("RemoveLine"));
    }

    private static async Task<IResult> InsertAsync(string room, HttpRequest request, RoomResolver rooms)
    {
        var controller = rooms.Resolve(room);
        var body = await JsonBody.ReadAsync<InsertLineBody>(request, InsertShape);
        if (body.Value is null) return body.Problem!;
        if (body.Value.Position is not { } position)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"position is required (0 = next): {InsertShape}");
        }
        var line = body.Value.ToLineRequest(controller.Name);
        LineRequestRoles.Demand(request.HttpContext.User, line);
        var ticket = await controller.InsertAsync(line, position, request.HttpContext.RequestAborted);
        request.HttpContext.RequestServices.GetRequiredService<LiveHostMetrics>().LineAccepted(ticket.Room, cued: false);
        return Results.Accepted($"/api/rooms/{Uri.EscapeDataString(controller.Name)}", ticket);
    }

    private static async Task<IResult> MoveAsync(string room, string lineId, HttpRequest request, RoomResolver rooms)
    {
        var controller = rooms.Resolve(room);
        var body = await JsonBody.ReadAsync<MoveLineBody>(request, MoveShape);
        if (body.Value is null) return body.Problem!;
        if (body.Value.Position is not { } position)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"position is required (0 = next): {MoveShape}");
        }
        return Results.Ok(await controller.MoveAsync(lineId, position, request.HttpContext.RequestAborted));
    }

    /// <summary>Body of <c>POST /api/rooms/{room}/queue</c>: a line request and where it goes.</summary>
    public sealed record InsertLineBody(
        string? Text,
        int? Position,
        string? Language = null,
        string? Voice = null,
        string? Tag = null,
        bool? Interruptible = null,
        DateTimeOffset? At = null,
        string? Product = null,
        string? Action = null)
    {
        public LineRequest ToLineRequest(string room) => new(room, Text, Language, Voice, Tag, Interruptible, At, Product, Action: Action);
    }

    /// <summary>Body of <c>PUT /api/rooms/{room}/queue/{lineId}</c>.</summary>
    public sealed record MoveLineBody(int? Position);
}
