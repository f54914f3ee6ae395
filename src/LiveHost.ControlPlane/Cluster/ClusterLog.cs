using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 3801, Level = LogLevel.Warning, Message = "Node {Node} ({Url}), which runs the room, cannot be reached: {Reason}")]
    public static partial void OwnerUnreachable(ILogger logger, string node, string url, string reason);

    [LoggerMessage(EventId = 3802, Level = LogLevel.Warning, Message = "A command forwarded to node {Node} ({Url}) got no answer: {Reason}")]
    public static partial void ForwardFailed(ILogger logger, string node, string url, string reason);

    [LoggerMessage(EventId = 3803, Level = LogLevel.Warning, Message = "Refused a request forwarded by node {From} for room {Room}, which this node does not run (no second hop)")]
    public static partial void LoopRefused(ILogger logger, string from, string room);
}
