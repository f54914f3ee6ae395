using StackExchange.Redis;

namespace LiveHost.Cluster;

/// <summary>
/// Room leases in Redis, each change one Lua script (atomic on the server):
/// <list type="bullet">
/// <item><see cref="TryAcquireAsync"/>: <c>SET lease NX PX</c> and, only when it was free, <c>INCR</c> the room's fencing
/// counter: the token. A lease is never taken from a live holder.</item>
/// <item><see cref="RenewAsync"/>: extends the lease only while it still holds this node's value. A lease missing
/// altogether (Redis restarted and lost it) is taken back with the same token, as long as the counter shows no newer
/// acquisition; the counter is raised to the token if Redis lost it too.</item>
/// <item><see cref="ReleaseAsync"/>: deletes the lease only while it holds this node's value.</item>
/// </list>
/// </summary>
public sealed class RoomLeases(IConnectionMultiplexer redis, ClusterKeys keys)
{
    private const string AcquireScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          local token = redis.call('INCR', KEYS[2])
          redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
          return token
        end
        return 0
        """;

    private const string RenewScript = """
        local held = redis.call('GET', KEYS[1])
        if held == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        if not held then
          local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
          local token = tonumber(ARGV[3])
          if counter > token then return 0 end
          if counter < token then redis.call('SET', KEYS[2], ARGV[3]) end
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 2
        end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private const string RaiseScript = """
        local counter = tonumber(redis.call('GET', KEYS[1]) or '0')
        if counter < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Takes the room's lease for <paramref name="node"/>; the new fencing token, or null when another node holds it.</summary>
    public async Task<long?> TryAcquireAsync(string room, string node, TimeSpan lease)
    {
        var result = (long)await Db.ScriptEvaluateAsync(AcquireScript, [keys.Lease(room), keys.Fence(room)], [node, Milliseconds(lease)]);
        return result > 0 ? result : null;
    }

    /// <summary>Extends the lease; false when it is no longer this node's (another node holds it, or took it meanwhile).</summary>
    public async Task<LeaseRenewal> RenewAsync(string room, LeaseValue held, TimeSpan lease)
    {
        var result = (long)await Db.ScriptEvaluateAsync(RenewScript, [keys.Lease(room), keys.Fence(room)], [held.ToString(), Milliseconds(lease), held.Token]);
        return result switch { 1 => LeaseRenewal.Renewed, 2 => LeaseRenewal.Restored, _ => LeaseRenewal.Lost };
    }

    public async Task<bool> ReleaseAsync(string room, LeaseValue held) =>
        (long)await Db.ScriptEvaluateAsync(ReleaseScript, [keys.Lease(room)], [held.ToString()]) == 1;

    /// <summary>Raises the room's fencing counter to at least <paramref name="token"/> (the shared store knows a newer token than Redis).</summary>
    public Task RaiseCounterAsync(string room, long token) => Db.ScriptEvaluateAsync(RaiseScript, [keys.Fence(room)], [token]);

    /// <summary>The holder of each room's lease (absent: nobody holds it).</summary>
    public async Task<IReadOnlyDictionary<string, LeaseValue>> HoldersAsync(IReadOnlyList<string> rooms)
    {
        if (rooms.Count == 0) return new Dictionary<string, LeaseValue>();
        var values = await Db.StringGetAsync([.. rooms.Select(r => (RedisKey)keys.Lease(r))]);
        var holders = new Dictionary<string, LeaseValue>(StringComparer.Ordinal);
        for (var i = 0; i < rooms.Count; i++)
        {
            if (LeaseValue.TryParse(values[i], out var lease)) holders[rooms[i]] = lease;
        }
        return holders;
    }

    private static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);
}

/// <summary>What a renewal found: renewed, taken back after Redis lost it (same token), or lost to another node.</summary>
public enum LeaseRenewal { Renewed, Restored, Lost }
