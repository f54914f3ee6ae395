using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// REST mirrors of the hub for tools: <c>/api/rooms</c>, <c>/api/rooms/{room}</c> and its commands. Like the hub they
/// only resolve the room and pass the command on; refusals become ProblemDetails through <see cref="CommandRejectionFilter"/>.
/// </summary>
public static class RoomEndpoints
{
    private const string LineShape = "{ \"text\": \"...\", \"language\"?: \"en\" | \"zh\", \"voice\"?: \"...\", \"tag\"?: \"...\", " +
        "\"interruptible\"?: false, \"at\"?: \"2026-12-24T18:00:00Z\", \"product\"?: \"...\", \"action\"?: \"wave\" }";

    public static void MapRoomEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/rooms");

        api.MapGet("/", async (RoomResolver rooms, Cluster.IRoomDirectory directory, CancellationToken cancellationToken) =>
                Results.Ok(await ListAsync(rooms, directory, cancellationToken)))
            .RequireRole(Role.Viewer);

        api.MapGet("/{room}", (string room, RoomResolver rooms) => Results.Ok(rooms.Resolve(room).GetState()))
            .RequireRole(Role.Viewer)
            .AddEndpointFilter(new CommandRejectionFilter("GetState"));

        api.MapPost("/{room}/lines", (string room, HttpRequest request, RoomResolver rooms) =>
                SubmitLineAsync(room, request, rooms, cued: false, static (r, line, ct) => r.EnqueueAsync(line, ct)))
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("EnqueueLine"));

        api.MapPost("/{room}/cue", (string room, HttpRequest request, RoomResolver rooms) =>
                SubmitLineAsync(room, request, rooms, cued: true, static (r, line, ct) => r.CueNowAsync(line, ct)))
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("CueNow"));

        MapRoomCommand(api, "skip", "Skip", static (r, ct) => r.SkipAsync(ct));
        MapRoomCommand(api, "pause", "Pause", static (r, ct) => r.PauseAsync(ct));
        MapRoomCommand(api, "resume", "Resume", static (r, ct) => r.ResumeAsync(ct));
        MapRoomCommand(api, "clear", "ClearQueue", static (r, ct) => r.ClearQueueAsync(ct));
    }

    private static void MapRoomCommand(RouteGroupBuilder api, string path, string command, Func<IRoomController, CancellationToken, ValueTask> action) =>
        api.MapPost("/{room}/" + path, async (string room, RoomResolver rooms, CancellationToken cancellationToken) =>
            {
                var controller = rooms.Resolve(room);
                await action(controller, cancellationToken);
                return Results.Ok(controller.GetState());
            })
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter(command));

    private static async Task<IResult> SubmitLineAsync(
        string room,
        HttpRequest request,
        RoomResolver rooms,
        bool cued,
        Func<IRoomController, LineRequest, CancellationToken, ValueTask<LineTicket>> submit)
    {
        // The room comes first: an unknown room is a 404 whatever the body holds.
        var controller = rooms.Resolve(room);
        var body = await JsonBody.ReadAsync<LineRequest>(request, LineShape);
        if (body.Value is null)
        {
            return body.Problem!;
        }

        LineRequestRoles.Demand(request.HttpContext.User, body.Value);

        // The path names the room; a room inside the body is ignored.
        var ticket = await submit(controller, body.Value with { Room = controller.Name }, request.HttpContext.RequestAborted);
        request.HttpContext.RequestServices.GetRequiredService<LiveHostMetrics>().LineAccepted(ticket.Room, cued);
        return Results.Accepted($"/api/rooms/{Uri.EscapeDataString(controller.Name)}", ticket);
    }

    /// <summary>
    /// Every room some node runs (the directory's list) and every room this node knows (one not yet leased included),
    /// each once, sorted by name, with its node.
    /// </summary>
    private static async Task<RoomList> ListAsync(RoomResolver rooms, Cluster.IRoomDirectory directory, CancellationToken cancellationToken)
    {
        var placed = new SortedDictionary<string, RoomPlacement>(StringComparer.Ordinal);
        foreach (var location in await directory.ListAsync(cancellationToken))
        {
            placed[location.Room] = new RoomPlacement(location.Room, location.Node.Id, location.Node.PublicUrl?.ToString(), location.IsLocal);
        }

        foreach (var name in rooms.RoomNames)
        {
            placed.TryAdd(name, new RoomPlacement(name, directory.Self.Id, directory.Self.PublicUrl?.ToString(), true));
        }

        return new RoomList([.. placed.Keys], [.. placed.Values]);
    }

    /// <summary>Body of <c>GET /api/rooms</c>: the names (as before), and where each runs (issue 15).</summary>
    public sealed record RoomList(IReadOnlyList<string> Rooms, IReadOnlyList<RoomPlacement> Placement);

    /// <summary>A room and the node running it: its id, public URL (null on one machine) and whether it is the node that answered.</summary>
    public sealed record RoomPlacement(string Room, string Node, string? NodeUrl, bool Local);
}
