using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane;

/// <summary>
/// SignalR's in-memory lifetime manager for <see cref="ControlHub"/>, with one change: messages to many connections
/// (groups, all, users, lists) are serialized once and posted to each connection's <see cref="ClientOutbox"/>, and the
/// send returns at once. The stock manager writes to each connection and awaits them all, so one client that stops
/// reading stalled every send (and so <see cref="HubEventPump"/>, and every client's events) until its transport gave
/// up. Here a slow client only fills its own outbox, and is dropped when it passes <see cref="SlowClientOptions"/>.
/// Group membership, client results and single-connection sends stay with the base class.
/// </summary>
public sealed class OutboxHubLifetimeManager : DefaultHubLifetimeManager<ControlHub>
{
    private readonly ConcurrentDictionary<string, ClientOutbox> _outboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ClientOutbox>> _groups = new(StringComparer.Ordinal);
    private readonly SlowClientOptions _options;
    private readonly TimeProvider _time;
    private readonly LiveHostMetrics _metrics;
    private readonly ILogger<OutboxHubLifetimeManager> _logger;

    public OutboxHubLifetimeManager(
        IOptions<SlowClientOptions> options,
        TimeProvider time,
        LiveHostMetrics metrics,
        ILogger<OutboxHubLifetimeManager> logger,
        ILogger<DefaultHubLifetimeManager<ControlHub>> baseLogger)
        : base(baseLogger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Raised after a connection was aborted for passing a bound: its id and "buffer" or "delay".</summary>
    public event Action<string, string>? ConnectionDropped;

    /// <summary>Connections with an outbox (connected and not yet dropped or gone).</summary>
    public int Connections => _outboxes.Count;

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await base.OnConnectedAsync(connection);
        var outbox = new ClientOutbox(connection, _options, _time, _metrics, _logger, (id, reason) => ConnectionDropped?.Invoke(id, reason));
        _outboxes[connection.ConnectionId] = outbox;
        _ = outbox.RunAsync();
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_outboxes.TryRemove(connection.ConnectionId, out var outbox))
        {
            foreach (var members in _groups.Values) members.TryRemove(connection.ConnectionId, out _);
            outbox.Close();
        }
        await base.OnDisconnectedAsync(connection);
    }

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await base.AddToGroupAsync(connectionId, groupName, cancellationToken);
        if (_outboxes.TryGetValue(connectionId, out var outbox))
        {
            _groups.GetOrAdd(groupName, _ => new ConcurrentDictionary<string, ClientOutbox>(StringComparer.Ordinal))[connectionId] = outbox;
            // A disconnect that raced this add has already swept the groups; do not keep a closed outbox.
            if (!_outboxes.ContainsKey(connectionId)) _groups[groupName].TryRemove(connectionId, out _);
        }
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await base.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        if (_groups.TryGetValue(groupName, out var members)) members.TryRemove(connectionId, out _);
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        if (_groups.TryGetValue(groupName, out var members)) Post(members.Values, methodName, args);
        return Task.CompletedTask;
    }

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupNames);
        var targets = new Dictionary<string, ClientOutbox>(StringComparer.Ordinal);
        foreach (var groupName in groupNames)
        {
            if (!_groups.TryGetValue(groupName, out var members)) continue;
            foreach (var (id, outbox) in members) targets[id] = outbox;
        }
        Post(targets.Values, methodName, args);
        return Task.CompletedTask;
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        ArgumentNullException.ThrowIfNull(excludedConnectionIds);
        if (_groups.TryGetValue(groupName, out var members))
            Post(members.Values.Where(o => !excludedConnectionIds.Contains(o.ConnectionId)), methodName, args);
        return Task.CompletedTask;
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        Post(_outboxes.Values, methodName, args);
        return Task.CompletedTask;
    }

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(excludedConnectionIds);
        Post(_outboxes.Values.Where(o => !excludedConnectionIds.Contains(o.ConnectionId)), methodName, args);
        return Task.CompletedTask;
    }

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionIds);
        Post(connectionIds.Select(id => _outboxes.GetValueOrDefault(id)).OfType<ClientOutbox>(), methodName, args);
        return Task.CompletedTask;
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        Post(_outboxes.Values.Where(o => string.Equals(o.UserIdentifier, userId, StringComparison.Ordinal)), methodName, args);
        return Task.CompletedTask;
    }

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        Post(_outboxes.Values.Where(o => o.UserIdentifier is { } user && userIds.Contains(user)), methodName, args);
        return Task.CompletedTask;
    }

    private static void Post(IEnumerable<ClientOutbox> outboxes, string methodName, object?[] args)
    {
        SerializedHubMessage? message = null;
        foreach (var outbox in outboxes)
        {
            message ??= new SerializedHubMessage(new InvocationMessage(methodName, args));
            outbox.Post(message);
        }
    }
}
