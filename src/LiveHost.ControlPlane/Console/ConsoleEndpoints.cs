using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LiveHost.ControlPlane;

/// <summary>
/// The producer console: <c>GET /console/{room}</c> serves one static page (no data of any kind is written into it:
/// the room is read from the address by the script, and the key is typed in and kept in sessionStorage), its files
/// under <c>/console/assets/</c>, and <c>GET /api/me</c>, which tells the page whose key it holds and which role,
/// so it can disable what the role may not do (the server refuses those calls anyway).
/// </summary>
public static class ConsoleEndpoints
{
    public const string PagePath = "/console";
    public const string MePath = "/api/me";

    /// <summary>
    /// Scripts and styles only from this server; no inline script can run, so even text that slipped into the page as
    /// markup could not execute. <c>connect-src</c> allows the hub's WebSocket on the same host.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void MapConsoleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var assets = ConsoleAssets.FromAssembly();
        endpoints.MapGet(PagePath, () => Results.Redirect(PagePath + "/main")).AllowAnonymous();
        endpoints.MapGet(PagePath + "/{room}", (string room, HttpContext context) => Serve(context, assets, ConsoleAssets.Page))
            .AllowAnonymous();
        endpoints.MapGet(PagePath + "/assets/{file}", (string file, HttpContext context) => Serve(context, assets, file))
            .AllowAnonymous();
        endpoints.MapGet(MePath, (ClaimsPrincipal user) =>
            {
                CallerRole.TryGet(user, out var role);
                return Results.Ok(new Caller(user.Identity?.Name ?? "", role.ToName()));
            })
            .RequireRole(Role.Viewer);
    }

    private static IResult Serve(HttpContext context, ConsoleAssets assets, string file)
    {
        if (!assets.TryGet(file, out var asset))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"the console has no file '{file}'",
                extensions: new Dictionary<string, object?> { ["code"] = "notFound" });
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // The page and its files change with the server; never run a stale console against a newer hub.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    /// <summary>Body of <c>GET /api/me</c>: the key's name and role.</summary>
    public sealed record Caller(string Name, string Role);
}
