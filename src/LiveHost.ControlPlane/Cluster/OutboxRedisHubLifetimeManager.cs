using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Cluster;

/// <summary>
/// SignalR's Redis backplane (<see cref="RedisHubLifetimeManager{THub}"/>) for <see cref="ControlHub"/>, keeping the
/// no-stall guarantee of <see cref="OutboxHubLifetimeManager"/>. A send to a group is published to Redis once; every
/// node (this one too) receives it on the group's channel and writes it to its members. The stock manager writes to
/// each member and awaits them all before it takes the channel's next message, so one client that stops reading
/// would hold that room's events for every client on the node. Here the manager is handed, for each connection, a
/// stand-in (<see cref="OutboxConnection"/>) whose writes only post to the real connection's <see cref="ClientOutbox"/>
/// and return at once; the outbox's own writer feeds the transport and drops the client past
/// <see cref="SlowClientOptions"/>. Groups, users and the channels stay the stock manager's.
/// </summary>
public sealed class OutboxRedisHubLifetimeManager : RedisHubLifetimeManager<ControlHub>
{
    private readonly ConcurrentDictionary<string, OutboxConnection> _standIns = new(StringComparer.Ordinal);
    private readonly SlowClientOptions _slowClients;
    private readonly TimeProvider _time;
    private readonly LiveHostMetrics _metrics;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<OutboxRedisHubLifetimeManager> _logger;

    public OutboxRedisHubLifetimeManager(
        IOptions<SlowClientOptions> slowClients,
        TimeProvider time,
        LiveHostMetrics metrics,
        ILoggerFactory loggerFactory,
        IOptions<RedisOptions> redis,
        IHubProtocolResolver protocols,
        IOptions<HubOptions> globalHubOptions,
        IOptions<HubOptions<ControlHub>> hubOptions)
        : base(loggerFactory.CreateLogger<RedisHubLifetimeManager<ControlHub>>(), redis, protocols, globalHubOptions, hubOptions)
    {
        ArgumentNullException.ThrowIfNull(slowClients);
        _slowClients = slowClients.Value;
        _time = time;
        _metrics = metrics;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<OutboxRedisHubLifetimeManager>();
    }

    /// <summary>Raised after a connection was aborted for passing a bound: its id and "buffer" or "delay".</summary>
    public event Action<string, string>? ConnectionDropped;

    /// <summary>Connections with an outbox on this node.</summary>
    public int Connections => _standIns.Count;

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var outbox = new ClientOutbox(connection, _slowClients, _time, _metrics, _logger, (id, reason) => ConnectionDropped?.Invoke(id, reason));
#pragma warning disable CA2000 // the stand-in's context is disposed in OnDisconnectedAsync
        var standIn = new OutboxConnection(connection, new DefaultConnectionContext(connection.ConnectionId), outbox, _loggerFactory);
#pragma warning restore CA2000
        _standIns[connection.ConnectionId] = standIn;
        _ = outbox.RunAsync();
        return base.OnConnectedAsync(standIn);
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_standIns.TryRemove(connection.ConnectionId, out var standIn))
        {
            standIn.Outbox.Close();
            await base.OnDisconnectedAsync(standIn);
            await standIn.Transportless.DisposeAsync();
        }
    }

    /// <summary>
    /// What the Redis manager holds for one connection: the same id, user and items, and writes that go to the
    /// connection's outbox. It never touches the transport itself.
    /// </summary>
    private sealed class OutboxConnection : HubConnectionContext
    {
        public OutboxConnection(HubConnectionContext real, DefaultConnectionContext transportless, ClientOutbox outbox, ILoggerFactory loggerFactory)
            : base(transportless, new HubConnectionContextOptions(), loggerFactory)
        {
            Transportless = transportless;
            Outbox = outbox;
            UserIdentifier = real.UserIdentifier;
        }

        public ClientOutbox Outbox { get; }

        /// <summary>A connection context with no transport: the stand-in's id and features live in it.</summary>
        public DefaultConnectionContext Transportless { get; }

        public override ValueTask WriteAsync(HubMessage message, CancellationToken cancellationToken = default)
        {
            Outbox.Post(new SerializedHubMessage(message));
            return ValueTask.CompletedTask;
        }

        public override ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default)
        {
            Outbox.Post(message);
            return ValueTask.CompletedTask;
        }
    }
}
