using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane.Cluster;

/// <summary>
/// First in the pipeline: a request under <c>/api/rooms/{room}</c> for a room another node runs is forwarded whole to
/// that node (<see cref="RoomCommandForwarder"/>) and its answer returned as is; for a room no node runs in a cluster
/// the answer is 503 roomMoving. It runs before authentication on purpose: the owner checks the key, writes the audit
/// entry and applies its limits, once. A request that was already forwarded (<see cref="ClusterHeaders.ForwardedBy"/>)
/// is never forwarded again. <c>GET /api/rooms</c> and making a room no node holds (<c>PUT /api/rooms/{room}</c>) stay here.
/// </summary>
public sealed class RoomForwardingMiddleware(RequestDelegate next, RoomRouter router, RoomCommandForwarder forwarder, ILogger<RoomForwardingMiddleware> logger)
{
    private static readonly PathString RoomsPrefix = new("/api/rooms");

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RoomOf(context.Request.Path) is not { } room)
        {
            await next(context);
            return;
        }

        var route = await router.RouteAsync(room, context.RequestAborted);
        if (route.IsLocal || (route.Kind == RoomRouteKind.Moving && HttpMethods.IsPut(context.Request.Method) && IsRoomItself(context.Request.Path)))
        {
            await next(context);
            return;
        }

        if (context.Request.Headers[ClusterHeaders.ForwardedBy] is { Count: > 0 } from)
        {
            ClusterLog.LoopRefused(logger, from.ToString(), route.Room);
            await CommandErrorMapping.ToProblem(RoomRouter.MovingRejection(route.Room, $" here (node '{router.Self.Id}', forwarded by '{from}'): the nodes disagree about its owner for a moment")).ExecuteAsync(context);
            return;
        }

        if (route.Kind == RoomRouteKind.Moving)
        {
            await CommandErrorMapping.ToProblem(RoomRouter.MovingRejection(route.Room)).ExecuteAsync(context);
            return;
        }

        await forwarder.ForwardAsync(context, route.Room, route.Owner!);
    }

    /// <summary>The room a path names (<c>/api/rooms/{room}</c> or below it), unescaped; null for other paths.</summary>
    internal static string? RoomOf(PathString path)
    {
        if (!path.StartsWithSegments(RoomsPrefix, out var rest) || !rest.HasValue) return null;
        var segments = rest.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 ? null : segments[0];
    }

    private static bool IsRoomItself(PathString path) =>
        path.StartsWithSegments(RoomsPrefix, out var rest) && rest.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).Length == 1;
}

/// <summary>Puts <see cref="RoomForwardingMiddleware"/> in front of everything the host adds.</summary>
internal sealed class RoomForwardingStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<RoomForwardingMiddleware>();
        next(app);
    };
}
