using LiveHost.Cluster;
using LiveHost.ControlPlane.Cluster;
using LiveHost.Engine.Options;
using LiveHost.Storage.Postgres;
using StackExchange.Redis;
using ClusterNode = LiveHost.ControlPlane.Cluster.ClusterNode;

namespace LiveHost.Host.Cluster;

/// <summary>
/// Several nodes (issue 15 point 2), only when <c>Cluster:Redis</c> is set: one <see cref="IConnectionMultiplexer"/> for
/// the process, this node's leases, the <see cref="RedisRoomDirectory"/> (before the control plane's single-machine
/// default), the stores' fence and the <see cref="ClusterRoomHost"/> that places, takes, renews and stops rooms. Without
/// it nothing here is registered and a single machine runs as before.
/// </summary>
public static class ClusterStartup
{
    /// <summary>The cluster settings, checked; throws with every problem named. Null when <c>Cluster:Redis</c> is not set.</summary>
    public static ClusterOptions? Load(IConfiguration configuration, JournalOptions storage)
    {
        var options = configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        if (!options.Enabled) return null;
        var errors = new List<string>(options.Validate());
        if (!storage.UsesPostgres)
        {
            errors.Add("Cluster:Redis needs Storage:Provider=postgres: every node must read and write the same rooms' state.");
        }
        if (errors.Count > 0) throw new InvalidOperationException(string.Join(" ", errors));
        options.NodeId ??= $"{Environment.MachineName}-{ListenPort(configuration)}";
        return options;
    }

    public static IServiceCollection AddLiveHostCluster(this IServiceCollection services, ClusterOptions options, IReadOnlyDictionary<string, RoomOptions> rooms,
        Func<IServiceProvider, string, RoomOptions, Rooms.LiveRoom> build,
        System.Collections.Concurrent.ConcurrentDictionary<string, LiveHost.Engine.Moderation.ModerationMode> moderation)
    {
        services.AddSingleton(options);
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var redis = ConfigurationOptions.Parse(options.Redis!);
            // Start even while Redis is down (the node then runs no room until it is back), and keep reconnecting.
            redis.AbortOnConnectFail = false;
            redis.ConnectTimeout = (int)Math.Min(5000, options.Lease.TotalMilliseconds);
            redis.SyncTimeout = redis.AsyncTimeout = (int)Math.Max(1000, options.RenewInterval.TotalMilliseconds);
            // A restarted Redis is found again well within a lease, so owners renew before their leases run out.
            redis.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
            redis.ReconnectRetryPolicy = new LinearRetry(250);
            return ConnectionMultiplexer.Connect(redis);
        });
        services.AddSingleton(new ClusterKeys(options.KeyPrefix));
        services.AddSingleton<RoomLeases>();
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<HeldLeases>();
        services.AddSingleton<FencedRooms>();
        services.AddSingleton<IRoomFence>(sp => sp.GetRequiredService<FencedRooms>());
        // Outputs added over REST live in the shared store too, so the node that takes a room over starts them again.
        services.AddSingleton(sp => new PostgresRoomOutputs(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<IRoomFence>()));
        services.AddSingleton<Outputs.RoomOutputs>();
        services.AddSingleton<LiveHost.ControlPlane.IRoomOutputs>(sp => new ClusterRoomOutputs(sp.GetRequiredService<Outputs.RoomOutputs>(), sp.GetRequiredService<PostgresRoomOutputs>()));
        var self = new ClusterNode(options.NodeId!, options.PublicUrl is null ? null : new Uri(options.PublicUrl));
        services.AddSingleton(self);
        services.AddSingleton<IRoomDirectory>(sp => new RedisRoomDirectory(self, sp.GetRequiredService<RoomLeases>(), sp.GetRequiredService<NodeRegistry>()));
        services.AddSingleton(sp => new ClusterRoomHost(options, self, sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RoomLeases>(),
            sp.GetRequiredService<NodeRegistry>(), sp.GetRequiredService<HeldLeases>(), sp.GetRequiredService<FencedRooms>(),
            new ClusterRooms(sp.GetRequiredService<Rooms.LiveRooms>(), rooms, (name, room) => build(sp, name, room),
                sp.GetService<LiveHost.WebRtc.WebRtcService>(), sp.GetService<LiveHost.Engine.Show.ShowLibrary>(), sp.GetService<Avatars.AvatarFactory>(),
                sp.GetRequiredService<PostgresRoomOutputs>(), sp.GetRequiredService<PostgresRuntimeRooms>(), moderation, sp.GetRequiredService<ILogger<ClusterRooms>>()),
            sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<LiveHost.ControlPlane.Capacity.IHostCapacity>(),
            sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ClusterRoomHost>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ClusterRoomHost>());
        // Rooms made at run time live in the shared store and are placed like configured ones (ClusterRoomAdmin).
        services.AddSingleton(sp => new PostgresRuntimeRooms(sp.GetRequiredService<PostgresDatabase>()));
        services.AddHttpContextAccessor();
        services.AddSingleton<LiveHost.ControlPlane.IRoomAdmin>(sp => new ClusterRoomAdmin(sp.GetRequiredService<ClusterRoomHost>().Rooms, sp.GetRequiredService<ClusterRoomHost>(),
            sp.GetRequiredService<PostgresRuntimeRooms>(), sp.GetRequiredService<PostgresRoomOutputs>(), sp.GetRequiredService<NodeRegistry>(), sp.GetRequiredService<IRoomDirectory>(),
            sp.GetRequiredService<RoomCommandForwarder>(), sp.GetRequiredService<IHttpContextAccessor>(), sp.GetRequiredService<Rooms.LiveRooms>(), options,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    // The port of the first listening URL (ASPNETCORE_URLS or urls), for the default node id.
    private static string ListenPort(IConfiguration configuration)
    {
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? Configuration.ListenAddress.Default;
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var colon = first.LastIndexOf(':');
        return colon >= 0 ? first[(colon + 1)..].TrimEnd('/') : "80";
    }
}
