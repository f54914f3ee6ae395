using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LiveHost.ControlPlane;

/// <summary>
/// "ApiKey" scheme: <c>Authorization: Bearer KEY</c>, or <c>?access_token=KEY</c> on hub paths (SignalR's standard for
/// transports that cannot set headers). No key: no result (the endpoint's policy then answers 401). A wrong key: failure.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore store)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadPresentedKey();
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!store.TryAuthenticate(presented, out var identity) || identity is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        var claims = new[]
        {
            new Claim(ClaimTypes.Name, identity.Name),
            new Claim(ApiKeyDefaults.RoleClaim, identity.Role.ToName()),
            new Claim(ClaimTypes.Role, identity.Role.ToName()),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer");
        return Task.CompletedTask;
    }

    private string? ReadPresentedKey()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var key = header[BearerPrefix.Length..].Trim();
            return key.Length == 0 ? null : key;
        }

        if (Request.Path.StartsWithSegments(ApiKeyDefaults.HubPathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var query = Request.Query[ApiKeyDefaults.QueryParameter].ToString();
            return query.Length == 0 ? null : query;
        }

        return null;
    }
}
