using System.Collections.Concurrent;
using LiveHost.ControlPlane.Cluster;

namespace LiveHost.ControlPlane.Tests.Cluster;

/// <summary>
/// TEST DOUBLE for the directory (the real one reads the rooms' Redis leases): a table of rooms to nodes that a test
/// sets. Each node has its own table, so a test can make two nodes disagree about an owner.
/// </summary>
public sealed class TableRoomDirectory(string selfId) : IRoomDirectory
{
    private readonly ConcurrentDictionary<string, ClusterNode> _rooms = new(StringComparer.Ordinal);

    public ClusterNode Self { get; private set; } = new(selfId, null);

    /// <summary>Known once the node's Kestrel has its port.</summary>
    public void SetSelfUrl(Uri url) => Self = Self with { PublicUrl = url };

    public void Place(string room, ClusterNode node) => _rooms[room] = node;

    public void Remove(string room) => _rooms.TryRemove(room, out _);

    public ValueTask<RoomLocation?> LocateAsync(string room, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_rooms.TryGetValue(room, out var node) ? Location(room, node) : null);

    public ValueTask<IReadOnlyList<RoomLocation>> ListAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<RoomLocation>>([.. _rooms.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Location(p.Key, p.Value))]);

    public ValueTask<IReadOnlyList<ClusterNode>> NodesAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ClusterNode>>([.. _rooms.Values.Append(Self).DistinctBy(n => n.Id)]);

    private RoomLocation Location(string room, ClusterNode node) =>
        new(room, node, string.Equals(node.Id, Self.Id, StringComparison.Ordinal), 1);
}
