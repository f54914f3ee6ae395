using LiveHost.ControlPlane.Cluster;
using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace LiveHost.ControlPlane;

public static class ControlPlaneServiceCollectionExtensions
{
    /// <summary>ASP.NET Core's per-request log category ("Request starting ... {QueryString}"), held at Warning.</summary>
    public const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Keys and roles, the "ApiKey" scheme and role policies, SignalR, the hub event sink (registered as
    /// <see cref="IRoomEventSink"/>) and its pump, and <see cref="LiveHostMetrics"/>. Expects <see cref="IRoomRegistry"/>;
    /// uses <see cref="IRoomOutputs"/> and <see cref="IEngineHealth"/> when registered. A <see cref="CollectorRegistry"/>
    /// registered before this call is used; otherwise a fresh one (never the static default) is created.
    /// </summary>
    public static IServiceCollection AddLiveHostControlPlane(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.TryAddSingleton<ApiKeyStore>();
        services.AddHostedService<ApiKeyStartup>();

        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, configureOptions: null);
        services.AddAuthorization(options =>
        {
            options.AddRolePolicies();
            options.AddHubAccessPolicy();
        });
        services.AddSingleton<IAuthorizationHandler, HubAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RoleAwareAuthorizationResultHandler>();

        // SignalR's 32 KB default would drop the connection on an over-long line before the engine could say what is
        // wrong; 1 MiB lets any line arrive (100 000 CJK characters are 300 KB) so it is refused with a message.
        services.AddSignalR(o => o.MaximumReceiveMessageSize = 1024 * 1024);
        // Replaces the stock JSON protocol so ControlHub's optional room argument may be left out (Skip() = Skip(null)).
        foreach (var stock in services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList())
        {
            services.Remove(stock);
        }

        services.AddSingleton<IHubProtocol, OptionalArgumentsHubProtocol>();
        services.AddLiveHostErrorResponses();
        // Refusals are logged once, without a stack trace, by HubCallLogFilter; SignalR would log each as an error.
        services.Configure<HubOptions>(options => options.AddFilter<HubCallLogFilter>());
        services.AddLiveHostAudit();
        services.Configure<LoggerFilterOptions>(options => options.AddFilter(HubCallLogFilter.DispatcherCategory, LogLevel.Critical));
        // Browsers put the hub key in the WebSocket's query (access_token); ASP.NET Core's "Request starting" line logs the
        // whole query at Information, so that category stays at Warning whatever Logging:LogLevel says.
        services.Configure<LoggerFilterOptions>(options => options.AddFilter(RequestLogCategory, LogLevel.Warning));
        services.TryAddSingleton(_ => Metrics.NewCustomRegistry());
        services.TryAddSingleton<LiveHostMetrics>();
        services.TryAddSingleton<RoomResolver>();
        // A cluster registers its lease-backed directory first; a single machine runs every room it knows.
        services.TryAddSingleton<Cluster.IRoomDirectory, Cluster.LocalRoomDirectory>();
        services.TryAddSingleton<OutputIdempotency>();
        services.TryAddSingleton(sp => new HubRoomEventSink(sp.GetRequiredService<LiveHostMetrics>(), spoken: sp.GetService<Llm.SpokenLines>()));
        services.TryAddSingleton<IRoomEventSink>(sp => sp.GetRequiredService<HubRoomEventSink>());
        services.AddHostedService<HubEventPump>();
        services.AddHostedService<ShowEventRelay>();

        // Room events go to each connection through its own bounded outbox, so one slow client never delays the others.
        services.AddOptions<SlowClientOptions>().Bind(configuration.GetSection(SlowClientOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlowClientOptions>, SlowClientOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        // With Cluster:Redis the backplane's manager (same outboxes) replaces the in-memory one.
        if (!services.AddLiveHostClusterControlPlane(configuration)) services.AddSingleton<HubLifetimeManager<ControlHub>, OutboxHubLifetimeManager>();

        // Comments, FAQ answers (issue 11): FAQ entries in {Storage:DataDirectory}/faq.db unless an IFaqStore is registered.
        services.AddOptions<CommentOptions>().Bind(configuration.GetSection(CommentOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommentOptions>, CommentOptionsValidator>();
        services.TryAddSingleton<IFaqStore>(sp => new SqliteFaqStore(Path.Combine(
            sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory, "faq.db")));
        services.TryAddSingleton<FaqBook>();
        services.TryAddSingleton<CommentService>();
        // LLM answers (issue 18): off until Llm:BaseUrl is set; bad settings refused at start by name.
        services.AddOptions<Llm.LlmOptions>().Bind(configuration.GetSection(Llm.LlmOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Llm.LlmOptions>, Llm.LlmOptionsValidator>();
        services.TryAddSingleton<Llm.OpenAiChatClient>();
        services.TryAddSingleton<Llm.SpokenLines>();
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<Llm.LlmAnswerer>(sp));
        services.TryAddSingleton<AnonymousConnections>();
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, AnonymousConnectionLimit>();
        return services;
    }
}
