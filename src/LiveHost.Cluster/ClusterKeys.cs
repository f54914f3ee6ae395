namespace LiveHost.Cluster;

/// <summary>
/// The Redis keys of one cluster (all under <see cref="ClusterOptions.KeyPrefix"/>):
/// <c>lease:{room}</c> = "node|token" with the lease's expiry; <c>fence:{room}</c> = the room's fencing counter (INCR on
/// every acquisition); <c>node:{id}</c> = the node's record (JSON) with a TTL; <c>nodes</c> = the ids that registered;
/// <c>rooms</c> = every room the cluster runs (from the nodes' configurations).
/// </summary>
public sealed class ClusterKeys(string prefix)
{
    public string Lease(string room) => $"{prefix}lease:{room}";
    public string Fence(string room) => $"{prefix}fence:{room}";
    public string Node(string id) => $"{prefix}node:{id}";
    public string Nodes => $"{prefix}nodes";
    public string Rooms => $"{prefix}rooms";
}
