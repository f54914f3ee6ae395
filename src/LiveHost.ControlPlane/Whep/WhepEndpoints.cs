using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// WHEP (RFC 9725) for players: POST an SDP offer to <c>/whep/{room}</c>, get 201 with the answer and the session's
/// Location; DELETE that location to leave. PATCH (trickle ICE) is accepted and ignored: the server is ICE-lite and
/// learns the browser's address from its connectivity checks, so remote candidates are not needed. Every response
/// carries CORS headers so a player on another origin can use it. <c>/watch/{room}</c> is a player page.
/// </summary>
public static class WhepEndpoints
{
    public const string SdpContentType = "application/sdp";
    public const string TrickleContentType = "application/trickle-ice-sdpfrag";
    private const int MaxOfferBytes = 128 * 1024;

    public static void MapWhepEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var whep = endpoints.MapGroup("/whep/{room}").AllowAnonymous();
        whep.AddEndpointFilter(async (context, next) =>
        {
            AddCors(context.HttpContext.Response);
            return await next(context);
        });

        whep.MapMethods("/", ["OPTIONS"], Preflight);
        whep.MapMethods("/{session}", ["OPTIONS"], Preflight);
        whep.MapPost("/", PostAsync);
        whep.MapDelete("/{session}", async (string room, string session, HttpContext context) =>
        {
            if (await OwnerElsewhereAsync(room, context) is { } redirect) return redirect;
            if (context.RequestServices.GetService<IWhepSessions>() is not { } sessions) return Unavailable();
            return sessions.Delete(room, session) ? Results.Ok() : NotFound($"room '{room}' has no WHEP session '{session}'", "notFound");
        });
        whep.MapPatch("/{session}", async (string room, string session, HttpContext context) =>
        {
            if (await OwnerElsewhereAsync(room, context) is { } redirect) return redirect;
            if (context.RequestServices.GetService<IWhepSessions>() is not { } sessions) return Unavailable();
            if (!sessions.Exists(room, session)) return NotFound($"room '{room}' has no WHEP session '{session}'", "notFound");
            if (!IsContentType(context.Request, TrickleContentType))
            {
                return Problem(StatusCodes.Status415UnsupportedMediaType,
                    $"PATCH takes {TrickleContentType} (trickle ICE); ICE restarts are not supported: POST a new offer", "unsupportedMediaType");
            }
            return Results.NoContent();
        });

        endpoints.MapGet("/watch/{room}", (string room) =>
            Results.Content(WatchPage.Html(room), "text/html; charset=utf-8")).AllowAnonymous();
    }

    private static IResult Preflight(HttpContext context)
    {
        context.Response.Headers.AccessControlAllowMethods = "POST, DELETE, PATCH, OPTIONS";
        context.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type, If-Match";
        context.Response.Headers.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }

    private static async Task<IResult> PostAsync(string room, HttpContext context)
    {
        if (await OwnerElsewhereAsync(room, context) is { } redirect) return redirect;
        if (context.RequestServices.GetService<IWhepSessions>() is not { } sessions) return Unavailable();
        // First, before any key check or parsing: a flood from one address costs one table lookup per request.
        var client = context.Connection.RemoteIpAddress;
        if (!sessions.TryAdmitPost(client, out var wait))
        {
            context.Response.Headers.RetryAfter = Seconds(wait);
            return Problem(StatusCodes.Status429TooManyRequests,
                $"too many WHEP offers from your address; retry in {Seconds(wait)} s", "rateLimited");
        }
        if (sessions.RequireViewerKey)
        {
            var auth = await context.AuthenticateAsync(ApiKeyDefaults.Scheme);
            if (!auth.Succeeded || !CallerRole.TryGet(auth.Principal, out _))
            {
                return Problem(StatusCodes.Status401Unauthorized,
                    "this room needs a key to watch: send Authorization: Bearer KEY (the viewer role is enough)", "unauthorized");
            }
        }
        if (!IsContentType(context.Request, SdpContentType))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, $"the offer must be sent as {SdpContentType}", "unsupportedMediaType");
        }
        if (context.Request.ContentLength > MaxOfferBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"an offer may be at most {MaxOfferBytes} bytes", "payloadTooLarge");
        }

        string offer;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxOfferBytes + 1];
            var read = await reader.ReadBlockAsync(buffer, context.RequestAborted);
            if (read > MaxOfferBytes)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, $"an offer may be at most {MaxOfferBytes} bytes", "payloadTooLarge");
            }
            offer = new string(buffer, 0, read);
        }

        var result = sessions.Create(room, offer, client);
        switch (result.Status)
        {
            case WhepSessionStatus.Created:
                var location = $"/whep/{Uri.EscapeDataString(room)}/{result.SessionId}";
                context.Response.Headers.Location = location;
                context.Response.Headers.ETag = $"\"{result.SessionId}\"";
                return Results.Text(result.AnswerSdp!, SdpContentType, Encoding.UTF8, StatusCodes.Status201Created);
            case WhepSessionStatus.UnknownRoom:
                return NotFound(result.Error!, "unknownRoom");
            case WhepSessionStatus.Stopped:
                return Problem(StatusCodes.Status409Conflict, result.Error!, "roomStopped");
            case WhepSessionStatus.Full:
                context.Response.Headers.RetryAfter = Seconds(result.RetryAfter ?? TimeSpan.FromSeconds(10));
                return Problem(StatusCodes.Status503ServiceUnavailable, result.Error!, "unavailable");
            default:
                return Problem(StatusCodes.Status400BadRequest, result.Error!, "invalidInput");
        }
    }

    /// <summary>
    /// A room another node runs: 307 to the same path on that node, so the player POSTs its offer again there (307
    /// keeps the method and body; fetch and WHEP players follow it) and the media flows from the owner directly. A room
    /// between owners: 503 roomMoving. Null when this node answers.
    /// </summary>
    private static async Task<IResult?> OwnerElsewhereAsync(string room, HttpContext context)
    {
        if (context.RequestServices.GetService<Cluster.RoomRouter>() is not { } router) return null;
        var route = await router.RouteAsync(room, context.RequestAborted);
        switch (route.Kind)
        {
            case Cluster.RoomRouteKind.Remote:
                var root = route.Owner!.PublicUrl!.AbsoluteUri.TrimEnd('/');
                return Results.Redirect(root + context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent(),
                    permanent: false, preserveMethod: true);
            case Cluster.RoomRouteKind.Moving:
                context.Response.Headers.RetryAfter = CommandErrorMapping.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problem(StatusCodes.Status503ServiceUnavailable, Cluster.RoomRouter.MovingRejection(route.Room).Message, "roomMoving");
            default:
                return null;
        }
    }

    private static bool IsContentType(HttpRequest request, string expected) =>
        request.ContentType is { } type && type.Split(';')[0].Trim().Equals(expected, StringComparison.OrdinalIgnoreCase);

    private static void AddCors(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "Location, ETag, Link";
    }

    private static IResult NotFound(string detail, string code) => Problem(StatusCodes.Status404NotFound, detail, code);

    private static IResult Unavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "WebRTC playback is not enabled on this server", "unavailable");

    /// <summary>A ProblemDetails with the machine-readable <c>code</c> every LiveHost error body carries.</summary>
    private static IResult Problem(int status, string detail, string code) =>
        Results.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    // Whole seconds, rounded up, at least 1 (Retry-After is delta-seconds).
    private static string Seconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
