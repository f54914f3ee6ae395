using System.Net.Http.Json;
using LiveHost.Cluster;
using LiveHost.ControlPlane.Cluster;
using LiveHost.Host.Tests.Faults;
using LiveHost.TestSupport;
using Npgsql;
using StackExchange.Redis;
using ClusterNode = LiveHost.ControlPlane.Cluster.ClusterNode;

namespace LiveHost.Host.Tests.Cluster;

/// <summary>
/// A cluster for a test: a PostgreSQL and a redis-server of its own on loopback, and LiveHost nodes as real processes
/// (<c>dotnet LiveHost.Host.dll</c>, <see cref="HostProcess"/>) sharing them, each with its own data folder, the same
/// rooms (<c>main</c>, <c>r1</c>, <c>r2</c> at 320x240), <c>Cluster:LeaseSeconds</c> = <see cref="LeaseSeconds"/> and its
/// own loopback URL as <c>Cluster:PublicUrl</c> (so commands for a room another node runs are forwarded to it).
/// The test reads where rooms run straight from Redis (<see cref="RedisRoomDirectory"/>) and the store from PostgreSQL.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string AdminKey = "cluster-admin-key-0123456789";
    public const double LeaseSeconds = 3;
    public static readonly string[] Rooms = ["main", "r1", "r2"];

    /// <summary>How soon a dead node's room must run elsewhere (issue 15 point 2).</summary>
    public static readonly TimeSpan Takeover = TimeSpan.FromSeconds(10);

    /// <summary>The generous limit for what a busy machine may take long to do (nodes starting, rooms placed, streams published).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    private readonly List<string> _folders = [];
    private ConnectionMultiplexer? _redisClient;
    private IReadOnlyDictionary<string, string>? _extra;
    private int _size;

    private TestCluster(PostgresServer postgres, RedisServer redis, string connectionString)
    {
        Postgres = postgres;
        Redis = redis;
        ConnectionString = connectionString;
    }

    public PostgresServer Postgres { get; }
    public RedisServer Redis { get; }
    public string ConnectionString { get; }
    public List<HostProcess> Nodes { get; } = [];

    /// <summary>Why the cluster cannot run here (PostgreSQL or Redis missing), or null.</summary>
    public static string? MissingReason => PostgresServer.MissingReason ?? RedisServer.MissingReason;

    public static async Task<TestCluster> StartAsync(int nodes, IReadOnlyDictionary<string, string>? extra = null)
    {
        var postgres = await PostgresServer.StartNewAsync();
        RedisServer? redis = null;
        try
        {
            redis = await RedisServer.StartAsync();
            var cluster = new TestCluster(postgres, redis, postgres.ConnectionString(await postgres.CreateDatabaseAsync())) { _extra = extra, _size = nodes };
            try
            {
                // Started together; none takes a room before all have registered (Cluster:BootstrapExpect), however far
                // apart a busy machine brings them up.
                var started = await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => cluster.StartNodeAsync(IdOf(i), extra)));
                cluster.Nodes.AddRange(started);
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
        catch
        {
            if (redis is not null) await redis.DisposeAsync();
            await postgres.DisposeAsync();
            throw;
        }
    }

    private Task<HostProcess> StartNodeAsync(string id, IReadOnlyDictionary<string, string>? extra)
    {
        // The port is chosen here so the node can be told its public URL: other nodes forward commands to it there.
        var port = FreePort.GetLoopbackTcpPort();
        var data = Directory.CreateTempSubdirectory("livehost-node-").FullName;
        lock (_folders) _folders.Add(data);
        var environment = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = data,
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = ConnectionString,
            ["Cluster__Redis"] = Redis.ConnectionString,
            ["Cluster__NodeId"] = id,
            ["Cluster__PublicUrl"] = $"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            ["Cluster__LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster__PlacementDelaySeconds"] = "6",
            ["Cluster__BootstrapExpect"] = _size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Auth__Keys__0__Key"] = AdminKey,
            ["Auth__Keys__0__Role"] = "admin",
            ["Outputs__AllowPrivateNetworks"] = "true",
        };
        foreach (var room in Rooms)
        {
            environment[$"Rooms__{room}__Width"] = "320";
            environment[$"Rooms__{room}__Height"] = "240";
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return HostProcess.StartAsync(environment, port);
    }

    /// <summary>
    /// Waits until every room is taken (each node logs the rooms it takes: an event, not a poll), then reads where they
    /// run from Redis.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> AllHeldAsync(TimeSpan timeout)
    {
        await Task.WhenAll(Rooms.Select(room => Task.WhenAny(Nodes.Select(n => n.WaitForOutputAsync($"Cluster: took room {room} ", timeout)))));
        var holders = await HoldersAsync();
        if (!Rooms.Order(StringComparer.Ordinal).SequenceEqual(holders.Keys.Order(StringComparer.Ordinal)))
        {
            throw new InvalidOperationException($"rooms held: {string.Join(", ", holders.Select(p => $"{p.Key}@{p.Value}"))}; expected every one of {string.Join(", ", Rooms)}");
        }
        return holders;
    }

    /// <summary>
    /// Pauses <paramref name="room"/> (so every line still waits when the test acts, whatever the machine's speed) and
    /// queues <paramref name="count"/> lines through <paramref name="client"/>; the accepted lines' ids, in order.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PauseAndQueueAsync(HttpClient client, string room, int count, Func<int, string> text)
    {
        using (var pause = await client.PostAsync($"/api/rooms/{room}/pause", null))
        {
            if (pause.StatusCode != System.Net.HttpStatusCode.OK) throw new InvalidOperationException($"pausing {room}: {(int)pause.StatusCode} {await pause.Content.ReadAsStringAsync()}");
        }
        var accepted = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            using var post = await client.PostAsJsonAsync($"/api/rooms/{room}/lines", new { text = text(i) });
            if (post.StatusCode != System.Net.HttpStatusCode.Accepted) throw new InvalidOperationException($"line {i}: {(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
            accepted.Add((await post.Content.ReadFromJsonAsync<LiveHost.Engine.Lines.LineTicket>())!.Id);
        }
        return accepted;
    }

    public HostProcess Node(string id) => Nodes[id[^1] - 'a'];

    public static string IdOf(int index) => $"node-{(char)('a' + index)}";

    /// <summary>Starts node <paramref name="index"/> again (after it was killed), as a new process with the same id and settings.</summary>
    public async Task<HostProcess> RestartNodeAsync(int index)
    {
        await Nodes[index].DisposeAsync();
        Nodes[index] = await StartNodeAsync(IdOf(index), _extra);
        return Nodes[index];
    }

    public async Task<IDatabase> RedisAsync()
    {
        _redisClient ??= await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Redis.ConnectionString }, AbortOnConnectFail = false });
        return _redisClient.GetDatabase();
    }

    /// <summary>Each room's holder now, from Redis.</summary>
    public async Task<IReadOnlyDictionary<string, string>> HoldersAsync()
    {
        await RedisAsync();
        var keys = new ClusterKeys("livehost:");
        var directory = new RedisRoomDirectory(new ClusterNode("test", null), new RoomLeases(_redisClient!, keys), new NodeRegistry(_redisClient!, keys));
        return (await directory.ListAsync(CancellationToken.None)).ToDictionary(l => l.Room, l => l.Node.Id);
    }

    /// <summary>The room's fencing token in the shared store and the node that took it.</summary>
    public async Task<(long Token, string Node)?> FenceAsync(string room)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT token, node FROM room_fences WHERE room=$1", connection) { Parameters = { new() { Value = room } } };
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>Every line of a room as the store has it: id, status, reason; in queue order.</summary>
    public async Task<IReadOnlyList<(string Id, string Status, string? Reason)>> LinesAsync(string room)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, status, reason FROM lines WHERE room=$1 ORDER BY ord", connection) { Parameters = { new() { Value = room } } };
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<(string, string, string?)>();
        while (await reader.ReadAsync()) lines.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            try
            {
                await node.SignalAsync("CONT");
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            await node.DisposeAsync();
        }
        _redisClient?.Dispose();
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
        foreach (var folder in _folders)
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
