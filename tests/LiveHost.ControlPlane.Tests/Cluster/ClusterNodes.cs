using LiveHost.ControlPlane.Cluster;
using LiveHost.Engine.Rooms;
using LiveHost.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane.Tests.Cluster;

/// <summary>
/// A real redis-server and three control-plane hosts on loopback Kestrel ports, A, B and C, sharing it as their
/// SignalR backplane (<c>Cluster:Redis</c>). B runs room "main": the engine's real room (<see cref="EngineRoom"/>:
/// RoomController, LineQueue, an SQLite line store) whose events go to B's hub sink. A and C run no room. Each node's
/// directory is a <see cref="TableRoomDirectory"/> saying main is on B.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private ClusterNodes(RedisServer redis, EngineRoom room, ControlPlaneTestHost a, ControlPlaneTestHost b, ControlPlaneTestHost c)
    {
        Redis = redis;
        Room = room;
        A = a;
        B = b;
        C = c;
    }

    public RedisServer Redis { get; }
    public EngineRoom Room { get; }
    public ControlPlaneTestHost A { get; }
    public ControlPlaneTestHost B { get; }
    public ControlPlaneTestHost C { get; }

    public static TableRoomDirectory Directory(ControlPlaneTestHost node) => (TableRoomDirectory)node.Services.GetRequiredService<IRoomDirectory>();

    public static ClusterNode Node(ControlPlaneTestHost node) => Directory(node).Self;

    /// <param name="ownerServices">Registrations for node B only (e.g. a WHEP sessions double).</param>
    public static async Task<ClusterNodes> StartAsync(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? ownerServices = null)
    {
        var redis = await RedisServer.StartAsync();
        var room = new EngineRoom();
        var started = new List<ControlPlaneTestHost>();
        try
        {
            foreach (var id in new[] { "node-a", "node-b", "node-c" })
            {
                var configuration = ControlPlaneTestHost.RoleKeys();
                configuration["Cluster:Redis"] = redis.ConnectionString;
                configuration["Cluster:ForwardTimeout"] = "00:00:20";
                foreach (var (key, value) in extra ?? []) configuration[key] = value;
                started.Add(await ControlPlaneTestHost.StartAsync(configuration, services: s =>
                {
                    s.AddSingleton<IRoomDirectory>(new TableRoomDirectory(id));
                    if (id == "node-b")
                    {
                        s.AddSingleton<IRoomRegistry>(room.Registry);
                        ownerServices?.Invoke(s);
                    }
                    else s.AddSingleton<IRoomRegistry>(new RoomRegistry());
                }));
            }

            foreach (var node in started) Directory(node).SetSelfUrl(node.BaseAddress);
            foreach (var node in started) Directory(node).Place("main", Node(started[1]));
            room.Events.Target = started[1].Sink;
            return new ClusterNodes(redis, room, started[0], started[1], started[2]);
        }
        catch
        {
            foreach (var node in started) await node.DisposeAsync();
            await room.DisposeAsync();
            await redis.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Room.Events.Target = null;
        await A.DisposeAsync();
        await B.DisposeAsync();
        await C.DisposeAsync();
        await Room.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
