using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

/// <summary>
/// Keeps the framework's 401/403 behaviour and adds a ProblemDetails body that says why: which role an endpoint
/// needs and which the key has, so a tool's author does not have to guess.
/// </summary>
public sealed class RoleAwareAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (context.Response.HasStarted || authorizeResult.Succeeded)
        {
            return;
        }

        var needed = policy.Requirements.OfType<MinimumRoleRequirement>().Select(r => (Role?)r.Minimum).Max();
        if (authorizeResult.Challenged)
        {
            var detail = context.Request.Headers.Authorization.Count > 0
                || context.Request.Query.ContainsKey(ApiKeyDefaults.QueryParameter)
                    ? "the API key is not valid"
                    : "an API key is required: send 'Authorization: Bearer KEY'";
            await Results.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context);
        }
        else if (authorizeResult.Forbidden && needed is { } role)
        {
            Role? held = CallerRole.TryGet(context.User, out var r) ? r : null;
            var detail = CallerRole.MissingRoleMessage(role, held);
            ControlPlaneLog.Refused(context.RequestServices.GetRequiredService<ILogger<RoleAwareAuthorizationResultHandler>>(), LogLevel.Information,
                $"{context.Request.Method} {context.Request.Path}", context.User.Identity?.Name ?? "no key", "forbidden", detail);
            await Results.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
        }
    }
}
