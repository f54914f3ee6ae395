using LiveHost.Cluster;
using LiveHost.ControlPlane;
using LiveHost.ControlPlane.Cluster;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Storage.Postgres;
using StackExchange.Redis;

namespace LiveHost.Host.Cluster;

/// <summary>
/// Rooms made and removed at run time on a node of a cluster (issue 15 point 2). <c>PUT /api/rooms/{room}</c> for a new
/// room stores its settings in the shared store (<see cref="PostgresRuntimeRooms"/>) and adds it to the cluster's room
/// list; placement then gives it to a node like a configured room (the next round on every node, within a sixth of a
/// lease), and the request answers once that node runs it, with the room's state read from that node (with the caller's
/// key). From then on it is taken over like any room when its node dies. A <c>PUT</c> or <c>DELETE</c> for a room
/// another node runs is forwarded there first (<see cref="RoomForwardingMiddleware"/>), so the owner changes it: new
/// settings restart it under the same lease; removing it stops it, lets its lease go and deletes its settings and
/// run-time outputs, so no node takes it again.
/// </summary>
public sealed class ClusterRoomAdmin(
    ClusterRooms rooms,
    ClusterRoomHost host,
    PostgresRuntimeRooms store,
    PostgresRoomOutputs outputs,
    NodeRegistry registry,
    IRoomDirectory directory,
    RoomCommandForwarder forwarder,
    IHttpContextAccessor http,
    LiveRooms live,
    ClusterOptions options,
    TimeProvider time) : IRoomAdmin
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<(RoomState State, bool Created)> PutAsync(string room, RoomSettingsRequest settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var roomOptions = RoomAdmin.ToOptions(room, settings);
        if (rooms.IsConfigured(room)) throw RoomAdmin.ConfiguredRefusal(room);
        var created = ClusterStoreWrites.Run(() => store.Save(room, ClusterRooms.Serialize(roomOptions)), "the room was not made");
        if (Local(room) is not null)
        {
            await host.RestartAsync(room, cancellationToken);
            return (Local(room)!.Controller.GetState(), false);
        }
        try
        {
            await registry.AddRoomsAsync([room]);
        }
        catch (RedisException ex)
        {
            throw new CommandRejectedException(RejectionCode.Unavailable, $"room '{room}' is stored but could not be listed in Redis ({ex.Message}); every node lists it again within a lease, or send the request again");
        }
        return (await PlacedStateAsync(room, cancellationToken), created);
    }

    public async Task DeleteAsync(string room, CancellationToken cancellationToken)
    {
        if (rooms.IsConfigured(room)) throw RoomAdmin.ConfiguredRefusal(room);
        if (ClusterStoreWrites.Run(() => store.Find(room), "the room was not removed") is null)
        {
            throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{(room.Length <= 64 ? room : room[..64] + "...")}'");
        }
        // Its outputs while this node still holds the lease (the write is fenced), then its settings: from here on no
        // placement round anywhere takes it again; then it stops here and its lease goes.
        if (Local(room) is not null) ClusterStoreWrites.Run(() => outputs.RemoveAll(room), "the room was not removed");
        ClusterStoreWrites.Run(() => store.Remove(room), "the room was not removed");
        rooms.Refresh();
        try
        {
            await registry.RemoveRoomAsync(room);
        }
        catch (RedisException)
        {
            // Left in the list, it is ignored: no node knows its settings any more.
        }
        await host.RemoveAsync(room);
    }

    // Waits until a node has taken the room and runs it, and answers with its state (read from its node).
    private async Task<RoomState> PlacedStateAsync(string room, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(3 * options.LeaseSeconds + 10);
        var started = time.GetTimestamp();
        using var timer = new PeriodicTimer(Poll, time);
        do
        {
            if (await directory.LocateAsync(room, cancellationToken) is { } location)
            {
                if (location.IsLocal && Local(room) is { } here) return here.Controller.GetState();
                if (!location.IsLocal)
                {
                    try
                    {
                        return await forwarder.InvokeAsync<RoomState>(location.Node, room, RestMirror.Get(), CallerKey(), cancellationToken);
                    }
                    catch (CommandRejectedException rejection) when (rejection.Code is RejectionCode.UnknownRoom or RejectionCode.Unavailable)
                    {
                        // Its node holds the lease and is still starting it.
                    }
                }
            }
        }
        while (time.GetElapsedTime(started) < limit && await timer.WaitForNextTickAsync(cancellationToken));
        throw new CommandRejectedException(RejectionCode.Unavailable,
            $"room '{room}' is stored and listed, but no node started it within {limit.TotalSeconds:0} s (none has room to spare?); it starts as soon as one can: GET /api/rooms shows where");
    }

    private LiveRoom? Local(string room) => live.All.FirstOrDefault(r => r.Name == room);

    // The key this request presented, sent on to read the room's state from its node (which checks it).
    private string? CallerKey()
    {
        var header = http.HttpContext?.Request.Headers.Authorization.ToString() ?? "";
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
