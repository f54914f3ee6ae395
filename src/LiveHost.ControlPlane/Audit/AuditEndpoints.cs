using System.Globalization;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// <c>GET /api/audit?room=&amp;after=&amp;limit=</c> and <c>GET /api/audit/verify</c> (admin). Without an
/// <see cref="IAuditLog"/> registered (a control plane without storage) they answer 503.
/// </summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var audit = endpoints.MapGroup("/api/audit");

        audit.MapGet("/", (HttpContext context) =>
            {
                var query = context.Request.Query;
                var after = Number(query["after"], "after", 0, long.MaxValue, 0);
                var limit = (int)Number(query["limit"], "limit", 1, MaxLimit, DefaultLimit);
                return Results.Ok(Log(context).Read(Room(query["room"]), after, limit));
            })
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("GetAudit"));

        audit.MapGet("/verify", (HttpContext context) => Results.Ok(Log(context).Verify()))
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("VerifyAudit"));
    }

    /// <summary>An empty or absent room means every room (and library commands, which have none).</summary>
    public static string? Room(string? room) => string.IsNullOrWhiteSpace(room) ? null : room.Trim();

    private static long Number(string? text, string name, long min, long max, long absent)
    {
        if (string.IsNullOrWhiteSpace(text)) return absent;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        throw new CommandRejectedException(RejectionCode.InvalidInput,
            $"{name} must be a whole number from {min} to {max.ToString(CultureInfo.InvariantCulture)}; got '{Shorten(text)}'");
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static IAuditLog Log(HttpContext context) =>
        context.RequestServices.GetService<IAuditLog>()
        ?? throw new CommandRejectedException(RejectionCode.Unavailable, "this server keeps no audit log (it has no storage)");
}
