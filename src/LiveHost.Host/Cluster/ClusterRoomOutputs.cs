using System.Text.Json;
using LiveHost.ControlPlane;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Outputs;
using LiveHost.Storage.Postgres;

namespace LiveHost.Host.Cluster;

/// <summary>
/// Outputs managed over REST on a node of a cluster (issue 15 point 2): each change is made on the room here
/// (<see cref="RoomOutputs"/>) and kept in the shared store (<see cref="PostgresRoomOutputs"/>, fenced by the room's
/// lease), so the node that takes the room over starts the same outputs, paused or not
/// (<see cref="ClusterRooms.StartAsync"/>). A change the store refuses is undone here and the request refused: what a
/// caller was told was done is what a new owner restores.
/// </summary>
public sealed class ClusterRoomOutputs(RoomOutputs local, PostgresRoomOutputs store) : IRoomOutputs
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<OutputState> List(string room) => local.List(room);

    public OutputState Add(string room, AddOutputRequest request)
    {
        var added = local.Add(room, request);
        try
        {
            store.Add(room, new StoredOutput(added.Id, JsonSerializer.Serialize(request, Json), Paused: false));
        }
        catch (Exception ex) when (ex is StorageFailedException or RoomFencedException)
        {
            local.Remove(room, added.Id);
            throw ClusterStoreWrites.Refusal(ex, "the output was not added");
        }
        return added;
    }

    public bool Remove(string room, string id)
    {
        if (!Has(room, id)) return false;
        ClusterStoreWrites.Run(() => store.Remove(room, id), "the output was not removed");
        return local.Remove(room, id);
    }

    public OutputState? Pause(string room, string id)
    {
        if (!Has(room, id)) return null;
        ClusterStoreWrites.Run(() => store.SetPaused(room, id, true), "the output was not paused");
        return local.Pause(room, id);
    }

    public OutputState? Resume(string room, string id)
    {
        if (!Has(room, id)) return null;
        ClusterStoreWrites.Run(() => store.SetPaused(room, id, false), "the output was not resumed");
        return local.Resume(room, id);
    }

    /// <summary>The stored request, read back to add the output again on the node that takes the room over.</summary>
    public static AddOutputRequest Request(StoredOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return JsonSerializer.Deserialize<AddOutputRequest>(output.Target, Json) ?? throw new InvalidOperationException($"output {output.Id}: its stored settings are empty");
    }

    // The store is written first (ClusterStoreWrites): when it fails nothing changed here either, and the caller is told so.
    private bool Has(string room, string id) => local.List(room).Any(o => o.Id == id);
}
