using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane.Recordings;

/// <summary>
/// <c>/api/rooms/{room}/recordings</c> (admin): the list, and <c>start</c> / <c>stop</c>. The work is
/// <see cref="IRoomRecordings"/>'s; without one registered these answer 503, so the control plane runs alone in tests.
/// </summary>
public static class RecordingEndpoints
{
    public static void MapRecordingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var recordings = endpoints.MapGroup("/api/rooms/{room}/recordings");

        recordings.MapGet("/", (string room, HttpContext context, RoomResolver rooms) =>
                Results.Ok(Recordings(context).Get(rooms.Resolve(room).Name)))
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("ListRecordings"));

        recordings.MapPost("/start", (string room, HttpContext context, RoomResolver rooms) =>
                Results.Ok(Recordings(context).Start(rooms.Resolve(room).Name)))
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("StartRecording"));

        recordings.MapPost("/stop", async (string room, HttpContext context, RoomResolver rooms) =>
                Results.Ok(await Recordings(context).StopAsync(rooms.Resolve(room).Name)))
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("StopRecording"));
    }

    private static IRoomRecordings Recordings(HttpContext context) =>
        context.RequestServices.GetService<IRoomRecordings>()
        ?? throw new CommandRejectedException(RejectionCode.Unavailable, "recordings cannot be managed: this server has no recorder");
}
