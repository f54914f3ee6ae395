namespace LiveHost.ControlPlane.Cluster;

/// <summary>
/// A LiveHost node as the other nodes see it: its id and the base URL clients and other nodes reach it on
/// (<c>Cluster:PublicUrl</c>; null on a single machine, where nothing needs to reach it from elsewhere).
/// </summary>
public sealed record ClusterNode(string Id, Uri? PublicUrl);
