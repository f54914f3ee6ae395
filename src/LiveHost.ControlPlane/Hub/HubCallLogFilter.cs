using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

/// <summary>
/// Logs each hub call that fails, once. A refusal (a role too low, bad input, a full queue: a
/// <see cref="HubException"/>) is the caller's problem, not the server's: one line at Information, or Warning when the
/// room is unavailable, without a stack trace, so a viewer calling what it may not cannot flood the log with errors.
/// Anything else is a server fault: Error, with the exception. SignalR's own "Failed to invoke hub method" error, which
/// logs every refusal with a stack trace, is switched off in <see cref="ControlPlaneServiceCollectionExtensions"/>.
/// </summary>
public sealed class HubCallLogFilter(ILogger<HubCallLogFilter> logger) : IHubFilter
{
    /// <summary>The SignalR category whose invocation errors this filter replaces.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refusal)
        {
            var code = refusal.InnerException is CommandRejectedException rejection ? rejection.Code : RejectionCode.InvalidInput;
            ControlPlaneLog.Refused(logger, LevelFor(code), invocationContext.HubMethodName, Caller(invocationContext), CommandErrorMapping.CodeName(code),
                refusal.Message);
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ControlPlaneLog.HubCallFailed(logger, exception, invocationContext.HubMethodName, Caller(invocationContext));
            throw;
        }
    }

    /// <summary>Information for what the caller got wrong; Warning when the server could not take it (full queue, storage).</summary>
    public static LogLevel LevelFor(RejectionCode code) => code == RejectionCode.Unavailable ? LogLevel.Warning : LogLevel.Information;

    private static string Caller(HubInvocationContext context) =>
        $"{context.Context.User?.Identity?.Name ?? "no key"} ({context.Context.ConnectionId})";
}
