using System.Diagnostics;
using LiveHost.Cluster;
using LiveHost.ControlPlane.Capacity;
using LiveHost.ControlPlane.Cluster;
using LiveHost.Engine.Persistence;
using LiveHost.Storage.Postgres;
using StackExchange.Redis;
using ClusterNode = LiveHost.ControlPlane.Cluster.ClusterNode;

namespace LiveHost.Host.Cluster;

/// <summary>
/// This node's part in the cluster, four loops:
/// <list type="bullet">
/// <item>Renewal, every third of the lease: renews every lease held (a lease another node took: the room is stopped)
/// and writes this node's record (id, public URL, spare rooms from the capacity monitor, rooms, heartbeat).</item>
/// <item>Placement, twice as often: computes <see cref="RoomPlacement"/> from the live nodes and leases, and takes one room
/// assigned to this node that nobody holds (or any room nobody has held for two lease periods): lease and token from
/// Redis, then the token written to the shared store (<see cref="PostgresRoomFences.Advance"/>), then the room built
/// from the store and started. Placement waits one lease period after start and after Redis reconnects, so every
/// node has registered (and every owner renewed) before rooms are handed out.</item>
/// <item>Owner watchdog, every 100 ms: a lease with no successful renewal before it would expire (the process was
/// paused, or Redis is unreachable) is dropped and its room stopped at once; from that moment every store write for it
/// is refused (<see cref="HeldLeases.TokenOf"/>), before the watchdog even runs.</item>
/// <item>Fenced writes: a room whose write the store refused (another node's token is newer) is stopped.</item>
/// </list>
/// On a clean stop it stops its rooms, releases their leases and unregisters, so others take them at once.
/// </summary>
public sealed partial class ClusterRoomHost(
    ClusterOptions options,
    ClusterNode self,
    IConnectionMultiplexer redis,
    RoomLeases leases,
    NodeRegistry registry,
    HeldLeases held,
    FencedRooms fenced,
    ClusterRooms rooms,
    PostgresDatabase database,
    IHostCapacity capacity,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ClusterRoomHost> logger) : BackgroundService
{
    private static readonly TimeSpan WatchdogInterval = TimeSpan.FromMilliseconds(100);

    // Taking and stopping rooms, one at a time.
    private readonly SemaphoreSlim _rooms = new(1, 1);
    private readonly Dictionary<string, long> _unownedSince = new(StringComparer.Ordinal);
    // Rooms this node has seen a node hold: one of them free again is a takeover, given to a node past its start-up delay.
    private readonly HashSet<string> _seenHeld = new(StringComparer.Ordinal);
    private long _placeAfter;
    private volatile bool _bootstrapped;
    private bool _roomsListed;
    private volatile bool _reconnecting;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Rooms are taken once the server listens (the hub answers for them at once).
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        DelayPlacement(options.PlacementDelaySeconds ?? options.LeaseSeconds);
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            await Task.WhenAll(RenewLoopAsync(stoppingToken), PlacementLoopAsync(stoppingToken), WatchdogLoopAsync(stoppingToken), FencedLoopAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var (room, _) in held.All) await StopRoomAsync(room, "this node is shutting down", release: true);
        try
        {
            await registry.UnregisterAsync(self.Id);
        }
        catch (RedisException ex)
        {
            LogRedisFailed(logger, "unregister", ex.Message);
        }
    }

    public override void Dispose()
    {
        _rooms.Dispose();
        base.Dispose();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        LogRedisRestored(logger);
        _reconnecting = true;
        DelayPlacement(options.LeaseSeconds);
    }

    private void DelayPlacement(double seconds) => Interlocked.Exchange(ref _placeAfter, time.GetTimestamp() + (long)(seconds * time.TimestampFrequency));

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.RenewInterval, time);
        do
        {
            // The record first: its TTL then always ends before the leases renewed after it, so when a dead node's
            // leases run out the next placement round no longer counts the node and gives its rooms to live ones.
            try
            {
                await RegisterAsync();
            }
            catch (RedisException ex)
            {
                LogRedisFailed(logger, "register", ex.Message);
            }
            await Task.WhenAll(held.All.Select(pair => RenewAsync(pair.Key, pair.Value)));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task RenewAsync(string room, LeaseValue lease)
    {
        var startedAt = time.GetTimestamp();
        LeaseRenewal result;
        try
        {
            result = await leases.RenewAsync(room, lease, options.Lease);
        }
        catch (RedisException ex)
        {
            // Not renewed: the watchdog stops the room if no renewal succeeds before the lease would run out.
            LogRedisFailed(logger, "renew " + room, ex.Message);
            return;
        }
        if (result == LeaseRenewal.Lost)
        {
            await StopRoomAsync(room, "another node holds its lease now", release: false);
            return;
        }
        if (result == LeaseRenewal.Restored) LogLeaseRestored(logger, room, lease.Token);
        held.Renewed(room, lease, startedAt, options.Lease);
    }

    private async Task RegisterAsync()
    {
        var running = rooms.Running;
        var report = capacity.Current();
        var measured = report.Kinds.FirstOrDefault(k => k.Kind == "cartoon")?.MoreRooms;
        var spare = Math.Min(options.MaxRooms - running.Count, measured is { } more ? more : int.MaxValue);
        // Given no new room only while waiting after a Redis reconnect. During the start-up delay a node is still
        // given rooms (it takes them when the delay ends): otherwise the first node past its delay would take every
        // room of a cluster started together.
        var waiting = time.GetTimestamp() < Interlocked.Read(ref _placeAfter);
        var takesRooms = !_reconnecting || !waiting;
        // Still starting (in its start-up delay, or not yet placing for Cluster:BootstrapExpect): given rooms nobody
        // held yet, but no room taken over from a dead node (it would wait; a node already placing takes it at once).
        var starting = !_reconnecting && (waiting || !_bootstrapped);
        await registry.RegisterAsync(new NodeRecord(self.Id, self.PublicUrl?.ToString(), spare, report.FreeCpuCores, running, time.GetUtcNow(), takesRooms, starting), options.Lease);
        // Every time: a Redis restarted without persistence has lost the list.
        await registry.AddRoomsAsync(rooms.Known);
        _roomsListed = true;
    }

    private async Task PlacementLoopAsync(CancellationToken cancellationToken)
    {
        // Twice per renewal: a lease that ran out is found within a sixth of a lease.
        using var timer = new PeriodicTimer(options.RenewInterval / 2, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (time.GetTimestamp() < Interlocked.Read(ref _placeAfter) || !_roomsListed) continue;
            try
            {
                await PlaceAsync(cancellationToken);
            }
            catch (RedisException ex)
            {
                LogRedisFailed(logger, "place rooms", ex.Message);
            }
            catch (StorageFailedException ex)
            {
                LogStorageFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>The rooms this node can run (configured and made at run time) and runs.</summary>
    public ClusterRooms Rooms => rooms;

    /// <summary>Stops the room and starts it again under the same lease (its run-time settings were changed).</summary>
    public async Task RestartAsync(string room, CancellationToken cancellationToken)
    {
        await _rooms.WaitAsync(cancellationToken);
        try
        {
            if (held.TokenOf(room) is null) throw new InvalidOperationException($"room '{room}' is not run by this node");
            await rooms.StopAsync(room, "its settings were changed by an admin");
            await rooms.StartAsync(room, cancellationToken);
        }
        finally
        {
            _rooms.Release();
        }
    }

    /// <summary>Stops the room and lets its lease go (the room was removed): no node takes it again.</summary>
    public Task RemoveAsync(string room) => StopRoomAsync(room, "the room was removed by an admin", release: true);

    private async Task PlaceAsync(CancellationToken cancellationToken)
    {
        // Rooms made or removed at run time on any node since the last round.
        rooms.Refresh();
        var all = (await registry.RoomsAsync()).Where(rooms.Knows).ToArray();
        var holders = await leases.HoldersAsync(all);
        var nodes = await registry.AliveAsync();
        if (!_bootstrapped)
        {
            // A node joining a cluster that already runs rooms (started again after a crash) does not wait for the
            // count: it might never see it while the node it replaces is down.
            if (nodes.Count < options.BootstrapExpect && holders.Count == 0) return;
            _bootstrapped = true;
        }
        _seenHeld.UnionWith(holders.Keys);
        var assignment = RoomPlacement.Assign(all, holders, nodes, _seenHeld);
        var now = time.GetTimestamp();
        string? take = null;
        foreach (var room in all)
        {
            if (holders.ContainsKey(room))
            {
                _unownedSince.Remove(room);
                continue;
            }
            if (!_unownedSince.TryGetValue(room, out var since)) _unownedSince[room] = since = now;
            var orphaned = now - since > 2 * options.LeaseSeconds * time.TimestampFrequency;
            if (assignment.TryGetValue(room, out var node) && node == self.Id || orphaned)
            {
                take = room;
                break;
            }
        }
        if (take is not null) await TakeAsync(take, cancellationToken);
    }

    private async Task TakeAsync(string room, CancellationToken cancellationToken)
    {
        await _rooms.WaitAsync(cancellationToken);
        try
        {
            var startedAt = time.GetTimestamp();
            var token = await leases.TryAcquireAsync(room, self.Id, options.Lease);
            if (token is not { } acquired) return;
            var lease = new LeaseValue(self.Id, acquired);
            held.Add(room, lease, startedAt, options.Lease);
            try
            {
                // The token goes to the shared store before the room's state is read from it: from here on the
                // previous owner's writes are refused, and all it wrote before is what this node reads.
                if (!PostgresRoomFences.Advance(database, room, acquired, self.Id))
                {
                    // Redis lost its counter (restarted empty): the store knows a newer token. Catch the counter up and let
                    // the next round take the room with a token above it.
                    var stored = PostgresRoomFences.Read(database, room);
                    if (stored is { } s) await leases.RaiseCounterAsync(room, s.Token);
                    LogStaleToken(logger, room, acquired, stored?.Token ?? 0);
                    Drop(room);
                    await leases.ReleaseAsync(room, lease);
                    return;
                }
                await rooms.StartAsync(room, cancellationToken);
                LogTookRoom(logger, room, acquired, Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
            }
            catch (Exception ex) when (ex is StorageFailedException or RedisException or InvalidOperationException or ArgumentException or IOException)
            {
                LogTakeFailed(logger, room, ex.Message);
                Drop(room);
                await rooms.StopAsync(room, "it could not be started");
                try
                {
                    await leases.ReleaseAsync(room, lease);
                }
                catch (RedisException)
                {
                    // It expires by itself.
                }
            }
        }
        finally
        {
            _rooms.Release();
        }
    }

    private void Drop(string room) => held.Remove(room, out _);

    private async Task WatchdogLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(WatchdogInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            foreach (var room in held.Expired())
            {
                LogLeaseExpired(logger, room);
                await StopRoomAsync(room, "its lease ran out before it could be renewed", release: false);
            }
        }
    }

    private async Task FencedLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var room in fenced.Refusals.ReadAllAsync(cancellationToken))
        {
            await StopRoomAsync(room, "a store write was refused by its fencing token: another node runs it", release: false);
        }
    }

    private async Task StopRoomAsync(string room, string reason, bool release)
    {
        // The lease goes first: from here on every store write for the room is refused, even before it has stopped.
        var had = held.Remove(room, out var lease);
        await _rooms.WaitAsync();
        try
        {
            if (await rooms.StopAsync(room, reason)) LogStoppedRoom(logger, room, reason);
        }
        finally
        {
            _rooms.Release();
        }
        if (!had || !release) return;
        try
        {
            await leases.ReleaseAsync(room, lease);
        }
        catch (RedisException ex)
        {
            LogRedisFailed(logger, "release " + room, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: took room {Room} (fencing token {Token}) in {Milliseconds:F0} ms")]
    private static partial void LogTookRoom(ILogger logger, string room, long token, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: stopped room {Room}: {Reason}")]
    private static partial void LogStoppedRoom(ILogger logger, string room, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: the lease of room {Room} was not renewed in time; stopping the room now")]
    private static partial void LogLeaseExpired(ILogger logger, string room);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: could not take room {Room}: {Reason}")]
    private static partial void LogTakeFailed(ILogger logger, string room, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: room {Room}'s token {Token} is older than the store's ({Stored}); Redis lost its counter, retrying with a newer one")]
    private static partial void LogStaleToken(ILogger logger, string room, long token, long stored);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: the lease of room {Room} was gone from Redis (restarted) and is held again with token {Token}")]
    private static partial void LogLeaseRestored(ILogger logger, string room, long token);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: Redis failed ({Operation}): {Reason}")]
    private static partial void LogRedisFailed(ILogger logger, string operation, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: Redis connection restored; placement waits one lease period")]
    private static partial void LogRedisRestored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: placement skipped, storage failing: {Reason}")]
    private static partial void LogStorageFailed(ILogger logger, string reason);
}
