namespace LiveHost.ControlPlane.Cluster;

/// <summary>
/// Which node runs which room. On a single machine (<see cref="LocalRoomDirectory"/>) every room is local; with
/// <c>Cluster:Redis</c> set the answer comes from the rooms' Redis leases. The control plane asks it before running a
/// command, so a command for a room another node runs can be sent there.
/// </summary>
public interface IRoomDirectory
{
    /// <summary>This process.</summary>
    ClusterNode Self { get; }

    /// <summary>The node running <paramref name="room"/> now; null when no node holds it (unknown, or between owners).</summary>
    ValueTask<RoomLocation?> LocateAsync(string room, CancellationToken cancellationToken);

    /// <summary>Every room some node runs now, with its node.</summary>
    ValueTask<IReadOnlyList<RoomLocation>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The nodes alive now, this one included.</summary>
    ValueTask<IReadOnlyList<ClusterNode>> NodesAsync(CancellationToken cancellationToken);
}
