using LiveHost.ControlPlane.Cluster;

namespace LiveHost.Cluster;

/// <summary>
/// <see cref="IRoomDirectory"/> from the rooms' Redis leases: a room runs on the node whose value its lease key holds
/// (with the token it took it with); nodes are those whose record has not expired.
/// </summary>
public sealed class RedisRoomDirectory(ClusterNode self, RoomLeases leases, NodeRegistry nodes) : IRoomDirectory
{
    public ClusterNode Self { get; } = self;

    public async ValueTask<RoomLocation?> LocateAsync(string room, CancellationToken cancellationToken)
    {
        var holders = await leases.HoldersAsync([room]);
        if (!holders.TryGetValue(room, out var lease)) return null;
        return await ToLocationAsync(room, lease, null);
    }

    public async ValueTask<IReadOnlyList<RoomLocation>> ListAsync(CancellationToken cancellationToken)
    {
        var rooms = await nodes.RoomsAsync();
        var holders = await leases.HoldersAsync(rooms);
        var alive = await nodes.AliveAsync();
        var list = new List<RoomLocation>();
        foreach (var room in rooms)
        {
            if (holders.TryGetValue(room, out var lease)) list.Add(await ToLocationAsync(room, lease, alive));
        }
        return list;
    }

    public async ValueTask<IReadOnlyList<ClusterNode>> NodesAsync(CancellationToken cancellationToken) =>
        [.. (await nodes.AliveAsync()).Select(ToNode)];

    private async Task<RoomLocation> ToLocationAsync(string room, LeaseValue lease, IReadOnlyList<NodeRecord>? alive)
    {
        if (lease.Node == Self.Id) return new RoomLocation(room, Self, true, lease.Token);
        alive ??= await nodes.AliveAsync();
        var record = alive.FirstOrDefault(n => n.Id == lease.Node);
        return new RoomLocation(room, record is null ? new ClusterNode(lease.Node, null) : ToNode(record), false, lease.Token);
    }

    private static ClusterNode ToNode(NodeRecord record) =>
        new(record.Id, record.PublicUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null);
}
