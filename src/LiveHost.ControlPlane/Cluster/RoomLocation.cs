namespace LiveHost.ControlPlane.Cluster;

/// <summary>
/// Where a room runs now: the node holding its lease, whether that is this process, and the lease's fencing token
/// (it only grows; a store write carrying an older token than the room's newest is refused).
/// </summary>
public sealed record RoomLocation(string Room, ClusterNode Node, bool IsLocal, long FencingToken);
