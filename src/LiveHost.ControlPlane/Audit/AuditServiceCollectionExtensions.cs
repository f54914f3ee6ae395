using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveHost.ControlPlane;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit log's recorders: <see cref="AuditHubFilter"/> (after <see cref="HubCallLogFilter"/>) and
    /// <see cref="AuditMiddleware"/> (a startup filter). They record only when an <see cref="IAuditLog"/> is registered
    /// (the host registers <see cref="SqliteAuditLog"/> over its database); without one nothing is recorded and
    /// <c>/api/audit</c> answers 503.
    /// </summary>
    public static IServiceCollection AddLiveHostAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<AuditCaller>();
        services.TryAddSingleton<AuditHubFilter>();
        services.Configure<HubOptions>(options => options.AddFilter<AuditHubFilterGate>());
        services.TryAddSingleton<AuditHubFilterGate>();
        services.AddTransient<IStartupFilter, AuditMiddleware.StartupFilter>();
        // Leaves the ProblemDetails code where the middleware finds it, so a refusal is recorded with its own code.
        services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var inner = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                inner?.Invoke(context);
                if (context.ProblemDetails.Extensions.TryGetValue("code", out var code) && code is string name)
                {
                    context.HttpContext.Items[AuditMiddleware.CodeItem] = name;
                }
            };
        });
        return services;
    }

    /// <summary>The hub filter when an <see cref="IAuditLog"/> is registered; otherwise a pass-through.</summary>
    public sealed class AuditHubFilterGate(IServiceProvider services) : IHubFilter
    {
        private readonly IHubFilter? _inner = services.GetService<IAuditLog>() is null ? null : services.GetRequiredService<AuditHubFilter>();

        public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next) =>
            _inner is null ? next(invocationContext) : _inner.InvokeMethodAsync(invocationContext, next);
    }
}
