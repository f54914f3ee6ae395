using LiveHost.Engine.Rooms;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Cluster;

/// <summary>
/// Decides where a command for a room goes. A room in this node's registry is local and costs no directory look-up,
/// so one machine and the owner's own commands pay nothing. Otherwise the <see cref="IRoomDirectory"/> names the owner.
/// With no owner, a cluster (<c>Cluster:Redis</c> set) answers <see cref="RoomRouteKind.Moving"/>: a node cannot tell
/// a room whose lease just lapsed from one that never was, and a retry is right for the first; one machine lets the
/// endpoint answer its usual 404.
/// </summary>
public sealed class RoomRouter(IRoomRegistry registry, IRoomDirectory directory, IOptions<ClusterControlPlaneOptions> options)
{
    private readonly bool _cluster = options.Value.HasRedis;

    public ClusterNode Self => directory.Self;

    /// <summary>The room name a command means: none is <see cref="RoomResolver.DefaultRoom"/>.</summary>
    public static string NameOf(string? room) => string.IsNullOrWhiteSpace(room) ? RoomResolver.DefaultRoom : room.Trim();

    public async ValueTask<RoomRoute> RouteAsync(string? room, CancellationToken cancellationToken)
    {
        var name = NameOf(room);
        if (registry.TryGetRoom(name, out _)) return RoomRoute.Local(name);
        var location = await directory.LocateAsync(name, cancellationToken);
        if (location is null) return _cluster ? RoomRoute.Moving(name) : RoomRoute.Local(name);
        if (location.IsLocal || string.Equals(location.Node.Id, directory.Self.Id, StringComparison.Ordinal)) return RoomRoute.Local(name);
        return location.Node.PublicUrl is null ? RoomRoute.Moving(name) : RoomRoute.Remote(name, location.Node);
    }

    public static CommandRejectedException MovingRejection(string room, string? why = null) =>
        new(RejectionCode.RoomMoving, $"room '{room}' runs on no node right now{why}; it is moving to another node: retry in a few seconds");
}
