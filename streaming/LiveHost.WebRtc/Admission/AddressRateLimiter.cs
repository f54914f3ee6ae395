using System.Net;
using System.Net.Sockets;

namespace LiveHost.WebRtc.Admission;

/// <summary>
/// A token bucket per client address, on the injected clock: each address may spend <c>burst</c> requests at once and
/// earns them back at <c>perMinute</c>. IPv6 clients are counted per /64 (one subscriber's prefix), IPv4-mapped ones as
/// IPv4. Idle buckets (full again) are forgotten by <see cref="Prune"/>, so the table is bounded by recent clients.
/// </summary>
public sealed class AddressRateLimiter(int burst, double perMinute, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];

    /// <summary>Takes one token for <paramref name="client"/>; false with how long until the next one when empty.</summary>
    public bool TryAcquire(IPAddress? client, out TimeSpan retryAfter)
    {
        var key = Key(client);
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!_buckets.TryGetValue(key, out var bucket)) bucket = new Bucket(burst, now);
            bucket = Refill(bucket, now);
            if (bucket.Tokens >= 1 - 1e-9)
            {
                _buckets[key] = bucket with { Tokens = bucket.Tokens - 1 };
                retryAfter = TimeSpan.Zero;
                return true;
            }
            _buckets[key] = bucket;
            retryAfter = TimeSpan.FromMinutes((1 - bucket.Tokens) / perMinute);
            return false;
        }
    }

    /// <summary>Forgets buckets that have refilled completely (their clients went quiet).</summary>
    public void Prune()
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            foreach (var (key, bucket) in _buckets)
            {
                if (Refill(bucket, now).Tokens >= burst) _buckets.Remove(key);
            }
        }
    }

    public int TrackedAddresses
    {
        get
        {
            lock (_gate) return _buckets.Count;
        }
    }

    /// <summary>The address a client is counted under (its IPv4 address, or its IPv6 /64).</summary>
    public static IPAddress Key(IPAddress? client)
    {
        if (client is null) return IPAddress.None;
        if (client.IsIPv4MappedToIPv6) return client.MapToIPv4();
        if (client.AddressFamily != AddressFamily.InterNetworkV6) return client;
        var bytes = client.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes);
    }

    private Bucket Refill(Bucket bucket, long now)
    {
        var earned = time.GetElapsedTime(bucket.At, now).TotalMinutes * perMinute;
        return new Bucket(Math.Min(burst, bucket.Tokens + earned), now);
    }

    private readonly record struct Bucket(double Tokens, long At);
}
