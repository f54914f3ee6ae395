using System.Net;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// The three comment limits, checked together and recorded only for a comment that is accepted: one per
/// <see cref="CommentOptions.MinInterval"/> per connection, <see cref="CommentOptions.PerAddressPerMinute"/> per client
/// address (IPv6 per /64) and <see cref="CommentOptions.RoomPerMinute"/> per room, in sliding 60 s windows. Not
/// thread-safe: <see cref="CommentService"/> calls it under its lock. Entries of idle addresses are dropped as windows
/// empty, so memory follows the active viewers, not every viewer ever seen.
/// </summary>
public sealed class CommentRateLimits(CommentOptions options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, DateTimeOffset> _lastByConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byRoom = new(StringComparer.Ordinal);

    public int TrackedAddresses => _byAddress.Count;
    public int TrackedConnections => _lastByConnection.Count;

    /// <summary>Throws <see cref="RejectionCode.RateLimited"/> naming the limit and when to try again; else records the comment.</summary>
    public void Take(string connectionId, string address, string room, DateTimeOffset now)
    {
        if (_lastByConnection.TryGetValue(connectionId, out var last) && now - last < options.MinInterval)
        {
            var wait = options.MinInterval - (now - last);
            throw Limited($"one comment per {options.MinInterval.TotalSeconds:0.#} s per connection: try again in {Seconds(wait)} s");
        }
        var fromAddress = WindowOf(_byAddress, address, now);
        if (fromAddress.Count >= options.PerAddressPerMinute)
        {
            throw Limited($"{options.PerAddressPerMinute} comments per minute from one address: try again in {Seconds(fromAddress.Peek() + Window - now)} s");
        }
        var inRoom = WindowOf(_byRoom, room, now);
        if (inRoom.Count >= options.RoomPerMinute)
        {
            throw Limited($"room '{room}' takes {options.RoomPerMinute} comments per minute and is at its limit: try again in {Seconds(inRoom.Peek() + Window - now)} s");
        }
        _lastByConnection[connectionId] = now;
        fromAddress.Enqueue(now);
        inRoom.Enqueue(now);
    }

    public void Forget(string connectionId) => _lastByConnection.Remove(connectionId);

    /// <summary>IPv4 as is; IPv6 by its /64 (one subscriber's block); unknown as "unknown".</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static Queue<DateTimeOffset> WindowOf(Dictionary<string, Queue<DateTimeOffset>> windows, string key, DateTimeOffset now)
    {
        // Sweep every window that has emptied, so idle addresses do not accumulate.
        if (windows.Count > 64)
        {
            foreach (var (k, q) in windows.ToArray())
            {
                while (q.Count > 0 && now - q.Peek() >= Window) q.Dequeue();
                if (q.Count == 0 && k != key) windows.Remove(k);
            }
        }
        if (!windows.TryGetValue(key, out var queue)) windows[key] = queue = new Queue<DateTimeOffset>();
        while (queue.Count > 0 && now - queue.Peek() >= Window) queue.Dequeue();
        return queue;
    }

    private static string Seconds(TimeSpan wait) => Math.Max(1, Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static CommandRejectedException Limited(string message) => new(RejectionCode.RateLimited, "too many comments: " + message);
}
