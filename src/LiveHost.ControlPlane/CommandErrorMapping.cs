using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;

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
            or RejectionCode.TextTooLong => StatusCodes.Status400BadRequest,
        RejectionCode.UnknownRoom or RejectionCode.NotFound => StatusCodes.Status404NotFound,
        RejectionCode.Forbidden => StatusCodes.Status403Forbidden,
        RejectionCode.Unavailable or RejectionCode.StorageFailed => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    public static IResult ToProblem(CommandRejectedException rejection)
    {
        var status = ToHttpStatus(rejection.Code);
        return Results.Problem(
            detail: rejection.Message,
            statusCode: status,
            title: TitleFor(status),
            extensions: new Dictionary<string, object?> { ["code"] = CodeName(rejection.Code) });
    }

    /// <summary>HubException messages reach the client even without detailed errors; that is why the message is copied, not wrapped.</summary>
    public static HubException ToHubException(CommandRejectedException rejection) => new(rejection.Message, rejection);

    /// <summary>camelCase code name for machine readers ("textTooLong").</summary>
    public static string CodeName(RejectionCode code)
    {
        var name = code.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not Found",
        StatusCodes.Status403Forbidden => "Forbidden",
        StatusCodes.Status503ServiceUnavailable => "Service Unavailable",
        _ => "Bad Request",
    };
}
