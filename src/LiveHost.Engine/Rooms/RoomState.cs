using System.Text.Json.Serialization;
using LiveHost.Engine.Lines;

namespace LiveHost.Engine.Rooms;

[JsonConverter(typeof(JsonStringEnumConverter<RoomActivity>))]
public enum RoomActivity
{
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("speaking")] Speaking,
    [JsonStringEnumMemberName("paused")] Paused,
    /// <summary>Stopped for good while the server runs (e.g. the avatar's consent was withdrawn); see <see cref="RoomState.StoppedReason"/>.</summary>
    [JsonStringEnumMemberName("stopped")] Stopped,
}

/// <summary>A snapshot of one room (GetState, GET /api/rooms/{room}, StateChanged).</summary>
public sealed record RoomState(
    string Room,
    string Language,
    RoomActivity Activity,
    bool Paused,
    Line? Current,
    IReadOnlyList<Line> Queue,
    int Width,
    int Height,
    int Fps,
    long FrameIndex,
    IReadOnlyList<OutputState> Outputs)
{
    /// <summary>Why the room was stopped (with <see cref="RoomActivity.Stopped"/>); null while it runs.</summary>
    public string? StoppedReason { get; init; }

    /// <summary>Lines waiting for their <see cref="Line.At"/>, soonest first; each then goes to the front of <see cref="Queue"/>.</summary>
    public IReadOnlyList<Line> Scheduled { get; init; } = [];
    /// <summary>The script the room loops when nothing else is queued (its filler), or null.</summary>
    public Show.ScriptStatus? Script { get; init; }

    /// <summary>The product card on screen, or null.</summary>
    public Show.ProductOnAir? Product { get; init; }

    /// <summary>Lines waiting for a producer's review (moderation mode <c>review</c>; <c>GetHeldLines</c> lists them).</summary>
    public int Held { get; init; }

    /// <summary>The presenter on screen: a built-in look (<c>cartoon</c>, <c>cartoon-b</c>, <c>cartoon-fullbody</c>) or a package's id; null when the room cannot switch presenters.</summary>
    public string? Presenter { get; init; }

    /// <summary>The room's default voice set by SetPresenter (lines in the room's language naming none get it); null: the language's default.</summary>
    public string? Voice { get; init; }

    /// <summary>The actions the presenter on screen can play (<c>PlayAction</c>, a line's <c>action</c>); empty when it has none.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>The action being played now (from its first frame to its last), or null.</summary>
    public string? PlayingAction { get; init; }
}

/// <summary>One output of a room (RTMP push and, later, others) as operators see it.</summary>
public sealed record OutputState(string Id, string Kind, string Url, string Status, long Connects, long DroppedFrames, string? LastError)
{
    /// <summary>Connection attempts made after a failure (each backoff ends in one); a resume is not one.</summary>
    public long Reconnects { get; init; }

    /// <summary>Bits per second sent over the last second while live; 0 otherwise.</summary>
    public long BitsPerSecond { get; init; }

    /// <summary>The platform preset the output was added with (youtube, twitch, facebook, douyin, generic), or null.</summary>
    public string? Preset { get; init; }
}
