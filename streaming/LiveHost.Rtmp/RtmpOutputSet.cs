using System.Collections.Concurrent;
using LiveHost.Media;
using LiveHost.Rtmp.Network;
using Microsoft.Extensions.Logging;

namespace LiveHost.Rtmp;

/// <summary>
/// The push outputs (RTMP, RTMPS, and any other <see cref="SupervisedOutput"/> kind) of one room's broadcast session. Every output reads the same single encode and runs on its
/// own, so a dead server only affects its own output. One <see cref="AigcLabel"/> (one ProduceID) is created per
/// set, i.e. per broadcast session, and carried by all of its outputs.
/// </summary>
public sealed class RtmpOutputSet : IAsyncDisposable
{
    private readonly MediaBroadcaster _source;
    private readonly RtmpOutputOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private static readonly TimeSpan AddResolveTimeout = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<string, SupervisedOutput> _outputs = new();
    private readonly ConcurrentBag<Task> _removals = [];
    private readonly ConcurrentDictionary<string, int> _nextIds = new();
    private readonly ConcurrentDictionary<string, byte> _heldPaused = new();
    private int _disposed;

    public RtmpOutputSet(MediaBroadcaster source, RtmpOutputOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        var problem = options.Validate();
        if (problem is not null) throw new ArgumentException($"invalid RTMP output options: {problem}", nameof(options));
        _source = source;
        _options = options;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        Label = AigcLabel.ForNewProduction(options.ContentProducer);
    }

    /// <summary>The AIGC label every output of this session sends in its onMetaData.</summary>
    public AigcLabel Label { get; }

    public int Count => _outputs.Count;

    /// <summary>Validates the URL and its host's addresses, then starts pushing to it.</summary>
    /// <param name="trust">For rtmps://, the CAs its server's certificate must chain to (default: the system's).</param>
    /// <param name="preset">The platform preset the caller checked the output against, reported back as is (or null).</param>
    /// <exception cref="ArgumentException">The URL is not rtmp[s]://host[:port]/app/streamkey, or a custom trust is given for rtmp://.</exception>
    /// <exception cref="OutputAddressRefusedException">Its host is (or resolves only to) an address outputs may not reach.</exception>
    public RtmpOutputInfo Add(string url, RtmpTlsTrust? trust = null, string? preset = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var target = RtmpUrl.Parse(url);
        if (trust is { IsCustom: true } && !target.Secure)
        {
            throw new ArgumentException("trustedCa applies to rtmps:// outputs only; this URL is rtmp:// (no TLS)", nameof(trust));
        }
        using (var resolving = new CancellationTokenSource(AddResolveTimeout, _timeProvider))
        {
            if (_options.Addresses.CheckOnAdd(target.Host, resolving.Token) is { } refusal) throw new OutputAddressRefusedException(refusal);
        }
        return Add("rtmp", id =>
            new RtmpOutput(id, target, _source, _options, Label, _loggerFactory.CreateLogger<RtmpOutput>(), _timeProvider, trust) { Preset = preset });
    }

    /// <summary>
    /// Adds and starts an output of another kind (its URL and host already checked by the caller) under the id
    /// <c>{prefix}-{n}</c>; <paramref name="create"/> builds it from that id, reading this set's source, options and label.
    /// </summary>
    public RtmpOutputInfo Add(string prefix, Func<string, SupervisedOutput> create)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var id = $"{prefix}-{_nextIds.AddOrUpdate(prefix, 1, static (_, n) => n + 1)}";
        var output = create(id);
        output.Changed += changed => OutputChanged?.Invoke(changed.Id);
        _outputs[id] = output;
        if (_heldPaused.TryRemove(id, out _)) output.Pause();
        output.Start();
        return output.GetInfo();
    }

    /// <summary>
    /// The outputs with these ids start paused when they are added (they never connect until resumed): a room taken over
    /// from another node holds paused what an admin had paused there, without a moment's publication in between.
    /// </summary>
    public void HoldPaused(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids) _heldPaused[id] = 0;
    }

    /// <summary>Raised with an output's id after each of its state transitions (see <see cref="SupervisedOutput.Changed"/>).</summary>
    public event Action<string>? OutputChanged;

    /// <summary>The encode every output of this set reads.</summary>
    public MediaBroadcaster Source => _source;

    /// <summary>The options every output of this set runs with.</summary>
    public RtmpOutputOptions Options => _options;

    /// <summary>Stops and removes an output; the stop completes in the background (see <see cref="RemoveAsync"/>).</summary>
    public bool Remove(string id)
    {
        if (!_outputs.TryRemove(id, out var output)) return false;
        _removals.Add(output.DisposeAsync().AsTask());
        return true;
    }

    /// <summary>Stops and removes an output, returning once its connection is closed.</summary>
    public async Task<bool> RemoveAsync(string id)
    {
        if (!_outputs.TryRemove(id, out var output)) return false;
        await output.DisposeAsync();
        return true;
    }

    /// <summary>Pauses an output (see <see cref="SupervisedOutput.Pause"/>); null when there is no such output. Pausing a paused one changes nothing.</summary>
    public RtmpOutputInfo? Pause(string id)
    {
        if (!_outputs.TryGetValue(id, out var output)) return null;
        output.Pause();
        return output.GetInfo();
    }

    /// <summary>Resumes a paused output; null when there is no such output. Resuming one that is not paused changes nothing.</summary>
    public RtmpOutputInfo? Resume(string id)
    {
        if (!_outputs.TryGetValue(id, out var output)) return null;
        output.Resume();
        return output.GetInfo();
    }

    public RtmpOutputInfo? Get(string id) => _outputs.TryGetValue(id, out var output) ? output.GetInfo() : null;

    public IReadOnlyList<RtmpOutputInfo> List() =>
        _outputs.Values.Select(o => o.GetInfo()).OrderBy(i => i.Id.Length).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Stops every output for good (each ends its publication, then closes; none reconnects) and refuses new ones. The
    /// outputs stay listed, as <c>stopped</c>, so a room stopped while running still shows where it was going.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var stopping = _outputs.Values.Select(o => o.DisposeAsync().AsTask()).Concat(_removals).ToList();
        await Task.WhenAll(stopping);
    }
}
