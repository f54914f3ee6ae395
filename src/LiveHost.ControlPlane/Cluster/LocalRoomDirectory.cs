using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Cluster;

/// <summary>The single-machine directory: this process runs every room it knows, with no lease (fencing token 0).</summary>
public sealed class LocalRoomDirectory(IRoomRegistry registry) : IRoomDirectory
{
    public ClusterNode Self { get; } = new("local", null);

    public ValueTask<RoomLocation?> LocateAsync(string room, CancellationToken cancellationToken) =>
        ValueTask.FromResult(registry.TryGetRoom(room, out _) ? new RoomLocation(room, Self, true, 0) : null);

    public ValueTask<IReadOnlyList<RoomLocation>> ListAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<RoomLocation>>([.. registry.RoomNames.Order(StringComparer.Ordinal).Select(r => new RoomLocation(r, Self, true, 0))]);

    public ValueTask<IReadOnlyList<ClusterNode>> NodesAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ClusterNode>>([Self]);
}
