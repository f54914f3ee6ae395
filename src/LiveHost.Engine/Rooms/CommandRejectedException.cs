namespace LiveHost.Engine.Rooms;

/// <summary>The closed set of reasons a command is refused. The control plane maps each to one HTTP status.</summary>
public enum RejectionCode
{
    InvalidInput,
    UnknownRoom,
    UnknownLanguage,
    UnknownVoice,
    TextEmpty,
    TextTooLong,
    Forbidden,
    NotFound,
    Unavailable,
    /// <summary>Storage cannot write now (a failing or read-only disk): 503; retry once /healthz reports storage working.</summary>
    StorageFailed,
    /// <summary>No line with that id in this room (never was, or another room's): 404.</summary>
    UnknownLine,
    /// <summary>The line is speaking, done or scheduled, so it cannot be moved or removed from the queue: 409.</summary>
    LineNotQueued,
    /// <summary>A line names a product the product library does not hold: 404.</summary>
    UnknownProduct,
    /// <summary>A script that does not exist: 404.</summary>
    UnknownScript,
    /// <summary>A request or upload over a stated limit (a script of more than 1,000 lines, an image over 2 MiB): 413.</summary>
    PayloadTooLarge,
    /// <summary>An upload of a type that is not accepted (an image that is not PNG or JPEG): 415.</summary>
    UnsupportedMediaType,
    /// <summary>A line holds a blocked term (moderation mode <c>block</c>): 400, the message names the term and where it is.</summary>
    BlockedTerm,
    /// <summary>A comment was refused for its content (a link, a phone number, a blocked word): 400.</summary>
    CommentFiltered,
    /// <summary>Too many requests (comments) in a short time: 429, the message says which limit and when to try again.</summary>
    RateLimited,
    /// <summary>An Idempotency-Key that already made an output was sent with a different body: 422.</summary>
    IdempotencyKeyReused,
    /// <summary>SetPresenter names an avatar that is neither a built-in look nor an avatar package directory: 404.</summary>
    UnknownAvatar,
    /// <summary>SetPresenter names a package that may not be shown (consent missing, expired, revoked; a bad package): 409.</summary>
    AvatarRefused,
    /// <summary>A new room would exceed the configured maximum number of rooms (<c>Rooms:MaxRooms</c>): 507.</summary>
    NoCapacity,
    /// <summary>PlayAction or a line's <c>action</c> names an action the room's presenter does not have: 404, the message lists those it has.</summary>
    UnknownAction,
    /// <summary>PlayAction or a line's <c>action</c> in a room whose presenter plays no actions (a waist-up look, a package without actions): 409.</summary>
    NoActions,
    /// <summary>
    /// The room runs on no node right now: its lease lapsed with its node and another node has not taken it yet (or
    /// the nodes' views of the room disagree for a moment): 503 with Retry-After; try again in a few seconds.
    /// </summary>
    RoomMoving,
}

/// <summary>A command was refused and nothing changed. <see cref="Exception.Message"/> says what is wrong, for the caller.</summary>
public sealed class CommandRejectedException(RejectionCode code, string message) : Exception(message)
{
    public RejectionCode Code { get; } = code;
}
