using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane.Comments;

internal static partial class CommentLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Room {Room} answered comment {CommentId} by itself with FAQ entry {EntryId} (line {LineId})")]
    public static partial void AutoAnswered(ILogger logger, string room, string commentId, string entryId, string lineId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Room {Room} did not auto-answer comment {CommentId} with FAQ entry {EntryId}: {Reason}")]
    public static partial void AutoAnswerRefused(ILogger logger, string room, string commentId, string entryId, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Room {Room} failed to auto-answer comment {CommentId}")]
    public static partial void AutoAnswerFailed(ILogger logger, Exception exception, string room, string commentId);
}
