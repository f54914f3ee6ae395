using System.Collections.Concurrent;

namespace LiveHost.Cluster;

/// <summary>
/// The leases this node holds, with the moment each stops being safe to act on: the start of its last successful
/// renewal plus the lease, less a margin for the two clocks' drift. Measured on the monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>), which keeps running while the process is stopped (SIGSTOP), so a node that
/// wakes after its lease ran out sees at once that it did: <see cref="TokenOf"/> answers null from that moment (every
/// store write for the room is refused) and the owner watchdog stops the room.
/// </summary>
public sealed class HeldLeases(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed record Held(LeaseValue Lease, long ValidUntil);

    public void Add(string room, LeaseValue lease, long renewalStartedAt, TimeSpan duration) =>
        _held[room] = new Held(lease, ValidUntil(renewalStartedAt, duration));

    /// <summary>A renewal that started at <paramref name="renewalStartedAt"/> succeeded.</summary>
    public void Renewed(string room, LeaseValue lease, long renewalStartedAt, TimeSpan duration)
    {
        // Only the lease that was renewed: one removed meanwhile (the room was stopped) stays removed.
        lock (_gate)
        {
            if (_held.TryGetValue(room, out var was) && was.Lease == lease) _held[room] = new Held(lease, ValidUntil(renewalStartedAt, duration));
        }
    }

    public bool Remove(string room, out LeaseValue lease)
    {
        lock (_gate)
        {
            var removed = _held.TryRemove(room, out var held);
            lease = removed ? held!.Lease : default;
            return removed;
        }
    }

    /// <summary>The token of a lease this node holds and may still act on; null otherwise.</summary>
    public long? TokenOf(string room) =>
        _held.TryGetValue(room, out var held) && time.GetTimestamp() < held.ValidUntil ? held.Lease.Token : null;

    public IReadOnlyDictionary<string, LeaseValue> All => _held.ToDictionary(p => p.Key, p => p.Value.Lease, StringComparer.Ordinal);

    /// <summary>Rooms whose lease may have run out by now (no renewal succeeded in time).</summary>
    public IReadOnlyList<string> Expired()
    {
        var now = time.GetTimestamp();
        return [.. _held.Where(p => now >= p.Value.ValidUntil).Select(p => p.Key)];
    }

    // The lease in Redis started no earlier than the call was sent; a tenth of it (at most 500 ms) covers clock drift.
    private long ValidUntil(long startedAt, TimeSpan duration)
    {
        var margin = TimeSpan.FromTicks(Math.Min(duration.Ticks / 10, TimeSpan.FromMilliseconds(500).Ticks));
        return startedAt + (long)((duration - margin).TotalSeconds * time.TimestampFrequency);
    }
}
