using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.WebUtilities;

namespace LiveHost.ControlPlane;

/// <summary>The one place refusals become HTTP statuses (REST) or hub errors (SignalR). The message always passes through.</summary>
public static class CommandErrorMapping
{
    public static int ToHttpStatus(RejectionCode code) => code switch
    {
        RejectionCode.InvalidInput
            or RejectionCode.UnknownLanguage
            or RejectionCode.UnknownVoice
            or RejectionCode.TextEmpty
            or RejectionCode.TextTooLong
            or RejectionCode.BlockedTerm
            or RejectionCode.CommentFiltered => StatusCodes.Status400BadRequest,
        RejectionCode.RateLimited => StatusCodes.Status429TooManyRequests,
        RejectionCode.LineNotQueued or RejectionCode.AvatarRefused or RejectionCode.NoActions => StatusCodes.Status409Conflict,
        RejectionCode.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        RejectionCode.UnknownRoom or RejectionCode.NotFound or RejectionCode.UnknownProduct or RejectionCode.UnknownScript or RejectionCode.UnknownLine
            or RejectionCode.UnknownAvatar or RejectionCode.UnknownAction => StatusCodes.Status404NotFound,
        RejectionCode.NoCapacity => StatusCodes.Status507InsufficientStorage,
        RejectionCode.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        RejectionCode.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        RejectionCode.Forbidden => StatusCodes.Status403Forbidden,
        RejectionCode.Unavailable or RejectionCode.StorageFailed or RejectionCode.RoomMoving => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Seconds a 503 refusal (a full queue, storage failing, a room between nodes) asks the caller to wait before trying again.</summary>
    public const int RetryAfterSeconds = 2;

    public static IResult ToProblem(CommandRejectedException rejection)
    {
        var status = ToHttpStatus(rejection.Code);
        var problem = Results.Problem(
            detail: rejection.Message,
            statusCode: status,
            title: TitleFor(status),
            extensions: new Dictionary<string, object?> { ["code"] = CodeName(rejection.Code) });
        return status == StatusCodes.Status503ServiceUnavailable ? new RetryAfterResult(problem, RetryAfterSeconds) : problem;
    }

    /// <summary>
    /// The <c>code</c> of an error that is not a room's refusal (401, 405, 413, 415, 500...), camelCase like the
    /// rejection codes; the statuses rejections use map to the same names (400 <c>invalidInput</c>, 404 <c>notFound</c>,
    /// 403 <c>forbidden</c>, 503 <c>unavailable</c>).
    /// </summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => CodeName(RejectionCode.InvalidInput),
        StatusCodes.Status403Forbidden => CodeName(RejectionCode.Forbidden),
        StatusCodes.Status404NotFound => CodeName(RejectionCode.NotFound),
        StatusCodes.Status503ServiceUnavailable => CodeName(RejectionCode.Unavailable),
        StatusCodes.Status500InternalServerError => "internalError",
        _ => CamelCase(ReasonPhrases.GetReasonPhrase(status)) is { Length: > 0 } name ? name : "error" + status,
    };

    private static string CamelCase(string phrase)
    {
        var words = phrase.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(words.Select((w, i) => i == 0 ? w.ToLowerInvariant() : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
    }

    /// <summary>HubException messages reach the client even without detailed errors; that is why the message is copied, not wrapped.</summary>
    public static HubException ToHubException(CommandRejectedException rejection) => new(rejection.Message, rejection);

    /// <summary>camelCase code name for machine readers ("textTooLong").</summary>
    public static string CodeName(RejectionCode code)
    {
        var name = code.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>A result with a <c>Retry-After</c> header (RFC 9110 10.2.3) in front of another.</summary>
    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not Found",
        StatusCodes.Status403Forbidden => "Forbidden",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status503ServiceUnavailable => "Service Unavailable",
        StatusCodes.Status413PayloadTooLarge => "Payload Too Large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported Media Type",
        StatusCodes.Status429TooManyRequests => "Too Many Requests",
        _ => "Bad Request",
    };
}
