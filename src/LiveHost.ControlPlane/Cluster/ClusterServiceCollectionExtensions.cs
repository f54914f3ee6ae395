using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveHost.ControlPlane.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// One control plane over all nodes (issue 15 point 3): <see cref="RoomRouter"/>, the forwarding of commands for
    /// rooms other nodes run (<see cref="RoomForwardingMiddleware"/>, <see cref="RoomCommandForwarder"/>) and, with
    /// <c>Cluster:Redis</c> set, SignalR's Redis backplane behind the outboxes (<see cref="OutboxRedisHubLifetimeManager"/>).
    /// Returns whether the backplane is on, so the caller registers the in-memory lifetime manager otherwise.
    /// </summary>
    public static bool AddLiveHostClusterControlPlane(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ClusterControlPlaneOptions.SectionName);
        services.AddOptions<ClusterControlPlaneOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterControlPlaneOptions>, ClusterControlPlaneOptionsValidator>();
        services.TryAddSingleton<RoomRouter>();
        services.TryAddSingleton<RoomCommandForwarder>();
        services.AddHttpClient(RoomCommandForwarder.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<ClusterControlPlaneOptions>>().Value.ForwardTimeout);
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, RoomForwardingStartupFilter>();

        var options = section.Get<ClusterControlPlaneOptions>() ?? new ClusterControlPlaneOptions();
        if (!options.HasRedis) return false;
        services.AddSignalR().AddStackExchangeRedis(options.Redis!, redis =>
        {
            redis.Configuration.ChannelPrefix = RedisChannel.Literal(options.ChannelPrefix);
            // Redis down at start must not fail hub connections for good: the multiplexer keeps trying in the background.
            redis.Configuration.AbortOnConnectFail = false;
        });
        services.AddSingleton<HubLifetimeManager<ControlHub>, OutboxRedisHubLifetimeManager>();
        return true;
    }
}
