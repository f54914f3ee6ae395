using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

internal static partial class SlowClientLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message =
        "Dropped SignalR connection {ConnectionId} ({User}): {Reason}")]
    public static partial void Dropped(ILogger logger, string connectionId, string user, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Sending to SignalR connection {ConnectionId} failed; dropping it")]
    public static partial void SendFailed(ILogger logger, Exception exception, string connectionId);
}
