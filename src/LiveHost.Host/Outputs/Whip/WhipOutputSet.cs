using System.Collections.Concurrent;
using LiveHost.Rtmp.Network;
using LiveHost.WebRtc;

namespace LiveHost.Host.Outputs.Whip;

/// <summary>A room's WHIP push outputs, beside its RTMP ones; ids are <c>whip-N</c>. Each runs on its own, so one dead endpoint only affects itself.</summary>
public sealed class WhipOutputSet(string room, WebRtcService webRtc, OutputAddressPolicy addresses, ILoggerFactory loggers, TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, WhipOutput> _outputs = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(15) };
    private int _next;
    private bool _disposed;

    /// <summary>Adds and starts an output; throws <see cref="ArgumentException"/> for a bad URL or a refused address.</summary>
    public WhipOutput Add(string url)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!WhipUrl.TryParse(url, out var parsed, out var error)) throw new ArgumentException(error, nameof(url));
        if (addresses.CheckOnAdd(parsed.Endpoint.Host, CancellationToken.None) is { } refused) throw new ArgumentException(refused, nameof(url));
        var id = $"whip-{Interlocked.Increment(ref _next)}";
        var output = new WhipOutput(id, parsed, room, webRtc, _http, addresses, time, loggers.CreateLogger<WhipOutput>());
        _outputs[id] = output;
        output.Start();
        return output;
    }

    public bool Remove(string id)
    {
        if (!_outputs.TryRemove(id, out var output)) return false;
        _ = output.DisposeAsync().AsTask();
        return true;
    }

    public IReadOnlyList<WhipOutput> List() => _outputs.Values.OrderBy(o => o.Id.Length).ThenBy(o => o.Id, StringComparer.Ordinal).ToArray();

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var output in _outputs.Values) await output.DisposeAsync();
        _outputs.Clear();
        _http.Dispose();
    }
}
