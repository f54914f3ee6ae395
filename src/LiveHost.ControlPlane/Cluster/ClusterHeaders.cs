namespace LiveHost.ControlPlane.Cluster;

/// <summary>Headers nodes add to what they forward to each other.</summary>
public static class ClusterHeaders
{
    /// <summary>
    /// On a forwarded request: the id of the node that forwarded it. A node never forwards a request that carries it,
    /// so two nodes that disagree about a room's owner answer 503 roomMoving instead of passing it back and forth.
    /// </summary>
    public const string ForwardedBy = "X-LiveHost-Forwarded-By";

    /// <summary>On a forwarded answer: the id of the node that ran the command.</summary>
    public const string ServedBy = "X-LiveHost-Served-By";
}
