namespace LiveHost.ControlPlane.Cluster;

/// <summary>Where a command for a room goes from this node: here, to <see cref="Owner"/>, or nowhere yet.</summary>
public readonly record struct RoomRoute(RoomRouteKind Kind, string Room, ClusterNode? Owner)
{
    public static RoomRoute Local(string room) => new(RoomRouteKind.Local, room, null);

    public static RoomRoute Remote(string room, ClusterNode owner) => new(RoomRouteKind.Remote, room, owner);

    public static RoomRoute Moving(string room) => new(RoomRouteKind.Moving, room, null);

    public bool IsLocal => Kind == RoomRouteKind.Local;
}

public enum RoomRouteKind
{
    /// <summary>This node runs the room, or nobody does and this node answers (404 unknownRoom on one machine).</summary>
    Local,

    /// <summary>Another node runs it: the command is forwarded there.</summary>
    Remote,

    /// <summary>In a cluster, no node holds the room now (between owners): 503 roomMoving.</summary>
    Moving,
}
