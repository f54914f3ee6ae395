namespace LiveHost.WebRtc;

public enum WhepStatus
{
    Created,
    UnknownRoom,
    BadOffer,
    RoomFull,
    ServerFull,

    /// <summary>Too many sessions from this address, or in all, are still connecting.</summary>
    TooManyPending,
    /// <summary>The room was stopped for good (e.g. its avatar's consent was withdrawn); the error says why.</summary>
    RoomStopped,
}

/// <summary>What a WHEP POST gets: the answer and the new session's id, or why there is none.</summary>
public sealed record WhepResult(WhepStatus Status, string? SessionId, string? AnswerSdp, string? Error)
{
    /// <summary>For refusals that pass: when to try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static WhepResult Created(string sessionId, string answer) => new(WhepStatus.Created, sessionId, answer, null);
    public static WhepResult Refused(WhepStatus status, string error) => new(status, null, null, error);
}
