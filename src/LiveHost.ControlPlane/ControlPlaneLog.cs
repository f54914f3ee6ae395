using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

internal static partial class ControlPlaneLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message =
        "\n================================================================================\n" +
        " NO API KEY WAS CONFIGURED, SO AN ADMIN KEY WAS CREATED. IT IS SHOWN ONLY NOW:\n\n" +
        "     {AdminKey}\n\n" +
        " Send it as 'Authorization: Bearer <key>'. It is stored in {KeyPath} (mode 600);\n" +
        " later starts reuse it without printing it. Configure Auth:Keys to replace it.\n" +
        "================================================================================")]
    public static partial void AdminKeyCreated(ILogger logger, string adminKey, string keyPath);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "No API key configured; using the stored admin key in {KeyPath}")]
    public static partial void AdminKeyReused(ILogger logger, string keyPath);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Loaded {Count} API key(s) from configuration")]
    public static partial void KeysLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "API key '{Name}' is only {Length} characters long; use at least 16 random characters")]
    public static partial void ShortKey(ILogger logger, string name, int length);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Could not send {EventName} for room {Room} to SignalR clients")]
    public static partial void HubSendFailed(ILogger logger, Exception exception, string eventName, string room);

    [LoggerMessage(EventId = 3006, Message = "{Method} from {Caller} refused ({Code}): {Reason}")]
    public static partial void Refused(ILogger logger, LogLevel level, string method, string caller, string code, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Hub method {Method} from {Caller} failed unexpectedly")]
    public static partial void HubCallFailed(ILogger logger, Exception exception, string method, string caller);
}
