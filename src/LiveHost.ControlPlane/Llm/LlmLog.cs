using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane.Llm;

internal static partial class LlmLog
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Chat server attempt {Attempt} failed: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, int attempt, string reason);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Room {Room} answer to comment {CommentId} ended {Outcome} after {Sentences} sentence(s): {Reason}")]
    public static partial void AnswerEnded(ILogger logger, string room, string commentId, string outcome, int sentences, string? reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Error, Message = "Room {Room} failed to answer comment {CommentId}")]
    public static partial void AnswerFailed(ILogger logger, Exception exception, string room, string commentId);
}
