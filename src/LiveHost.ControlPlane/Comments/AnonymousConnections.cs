using System.Net;

namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// Keyless hub connections open now, per client address (IPv6 per /64). At most
/// <see cref="CommentOptions.MaxAnonymousConnectionsPerAddress"/>: the next one is refused before SignalR sees it
/// (<see cref="AnonymousConnectionLimit"/>, 429), and again when it connects should two race.
/// </summary>
public sealed class AnonymousConnections
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public int OpenFrom(IPAddress? address)
    {
        lock (_gate) return _open.GetValueOrDefault(CommentRateLimits.AddressKey(address));
    }

    public int Addresses
    {
        get { lock (_gate) return _open.Count; }
    }

    public bool TryAdd(IPAddress? address, int limit)
    {
        var key = CommentRateLimits.AddressKey(address);
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(key);
            if (open >= limit) return false;
            _open[key] = open + 1;
            return true;
        }
    }

    public void Remove(IPAddress? address)
    {
        var key = CommentRateLimits.AddressKey(address);
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out var open)) return;
            if (open <= 1) _open.Remove(key); else _open[key] = open - 1;
        }
    }
}
