using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

/// <summary>
/// Turns a <see cref="CommandRejectedException"/> from any REST endpoint into its ProblemDetails (via
/// <see cref="CommandErrorMapping"/>), counts the outcome, and logs each refusal once like the hub does
/// (<see cref="HubCallLogFilter"/>): Information, Warning when the room is unavailable, never a stack trace.
/// </summary>
public sealed class CommandRejectionFilter(string command) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var services = context.HttpContext.RequestServices;
        var metrics = services.GetRequiredService<LiveHostMetrics>();
        var logger = services.GetRequiredService<ILogger<CommandRejectionFilter>>();
        try
        {
            var result = await next(context);
            if (result is IStatusCodeHttpResult { StatusCode: >= 400 and var status })
            {
                metrics.CommandRejected(command, RejectionCode.InvalidInput);
                var detail = (result as ProblemHttpResult)?.ProblemDetails.Detail ?? string.Empty;
                ControlPlaneLog.Refused(logger, LogLevel.Information, command, Caller(context.HttpContext), CommandErrorMapping.CodeForStatus(status), detail);
            }
            else
            {
                metrics.CommandSucceeded(command);
            }

            return result;
        }
        catch (CommandRejectedException rejection)
        {
            metrics.CommandRejected(command, rejection.Code);
            ControlPlaneLog.Refused(logger, HubCallLogFilter.LevelFor(rejection.Code), command, Caller(context.HttpContext),
                CommandErrorMapping.CodeName(rejection.Code), rejection.Message);
            return CommandErrorMapping.ToProblem(rejection);
        }
    }

    private static string Caller(HttpContext context) => context.User.Identity?.Name ?? "no key";
}
