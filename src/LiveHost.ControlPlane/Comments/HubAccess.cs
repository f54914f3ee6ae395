using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// Who may open a hub connection: any valid key (viewer and up), and, when <see cref="CommentOptions.AllowAnonymous"/>
/// is on, a request that presents no key at all (a wrong key is still 401). A keyless connection holds no role, so
/// every hub method that demands one refuses it; only <c>SendComment</c>, and <c>Subscribe</c>/<c>GetComments</c> of
/// rooms whose comments are public, take it.
/// </summary>
public static class HubAccess
{
    public const string Policy = "hub";

    public static void AddHubAccessPolicy(this AuthorizationOptions options) =>
        options.AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).AddRequirements(new HubAccessRequirement()));

    public static bool KeyPresented(HttpRequest request) =>
        request.Headers.Authorization.Count > 0 || request.Query.ContainsKey(ApiKeyDefaults.QueryParameter);
}

public sealed class HubAccessRequirement : IAuthorizationRequirement;

public sealed class HubAccessHandler(IOptionsMonitor<CommentOptions> options) : AuthorizationHandler<HubAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, HubAccessRequirement requirement)
    {
        if (CallerRole.TryGet(context.User, out _)
            || (options.CurrentValue.AllowAnonymous && context.Resource is HttpContext http && !HubAccess.KeyPresented(http.Request)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Refuses a keyless request to the hub (negotiate or connect) with 429 and a ProblemDetails when its address already
/// holds <see cref="CommentOptions.MaxAnonymousConnectionsPerAddress"/> keyless connections, before SignalR allocates
/// anything for it. Added at the front of the pipeline by an <see cref="IStartupFilter"/>.
/// </summary>
public sealed class AnonymousConnectionLimit(IOptionsMonitor<CommentOptions> options, AnonymousConnections open) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var limit = options.CurrentValue.MaxAnonymousConnectionsPerAddress;
            if (options.CurrentValue.AllowAnonymous
                && context.Request.Path.StartsWithSegments(ControlHubEvents.HubPath, StringComparison.OrdinalIgnoreCase)
                && !HubAccess.KeyPresented(context.Request)
                && open.OpenFrom(context.Connection.RemoteIpAddress) >= limit)
            {
                context.Response.Headers.RetryAfter = "10";
                await Results.Problem(
                    detail: $"{limit} connections without a key are already open from your address (the limit is {limit}); close one or use a viewer key",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                    extensions: new Dictionary<string, object?> { ["code"] = "rateLimited" }).ExecuteAsync(context);
                return;
            }
            await nextMiddleware(context);
        });
        next(app);
    };
}
