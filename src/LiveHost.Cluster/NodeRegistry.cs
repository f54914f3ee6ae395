using System.Text.Json;
using StackExchange.Redis;

namespace LiveHost.Cluster;

/// <summary>
/// The nodes alive now: each writes its <see cref="NodeRecord"/> every renewal interval with a TTL of one lease period
/// (a node that stops writing disappears with its leases), and adds its id to the <c>nodes</c> set; readers drop ids
/// whose record is gone. Also the cluster's room list (<c>rooms</c>): every node adds the rooms of its configuration.
/// </summary>
public sealed class NodeRegistry(IConnectionMultiplexer redis, ClusterKeys keys)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IDatabase Db => redis.GetDatabase();

    public async Task RegisterAsync(NodeRecord record, TimeSpan ttl)
    {
        var batch = Db.CreateBatch();
        var write = batch.StringSetAsync(keys.Node(record.Id), JsonSerializer.Serialize(record, Json), ttl);
        var add = batch.SetAddAsync(keys.Nodes, record.Id);
        batch.Execute();
        await Task.WhenAll(write, add);
    }

    /// <summary>Takes the node out at once (a clean stop), so placement stops counting it.</summary>
    public async Task UnregisterAsync(string id)
    {
        await Db.KeyDeleteAsync(keys.Node(id));
        await Db.SetRemoveAsync(keys.Nodes, id);
    }

    /// <summary>The live nodes, ordered by id.</summary>
    public async Task<IReadOnlyList<NodeRecord>> AliveAsync()
    {
        var ids = (await Db.SetMembersAsync(keys.Nodes)).Select(v => v.ToString()).Order(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0) return [];
        var values = await Db.StringGetAsync([.. ids.Select(id => (RedisKey)keys.Node(id))]);
        var alive = new List<NodeRecord>();
        for (var i = 0; i < ids.Length; i++)
        {
            if (values[i].IsNullOrEmpty)
            {
                // Its record expired: the node is gone (it re-adds itself if it comes back).
                await Db.SetRemoveAsync(keys.Nodes, ids[i]);
                continue;
            }
            if (JsonSerializer.Deserialize<NodeRecord>(values[i].ToString(), Json) is { } record) alive.Add(record);
        }
        return alive;
    }

    public Task AddRoomsAsync(IReadOnlyCollection<string> rooms) =>
        rooms.Count == 0 ? Task.CompletedTask : Db.SetAddAsync(keys.Rooms, [.. rooms.Select(r => (RedisValue)r)]);

    /// <summary>Takes a room out of the cluster's list (it was removed).</summary>
    public Task RemoveRoomAsync(string room) => Db.SetRemoveAsync(keys.Rooms, room);

    /// <summary>Every room of the cluster, ordered by name.</summary>
    public async Task<IReadOnlyList<string>> RoomsAsync() =>
        [.. (await Db.SetMembersAsync(keys.Rooms)).Select(v => v.ToString()).Order(StringComparer.Ordinal)];
}
