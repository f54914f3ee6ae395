using System.Text.Json.Serialization;

namespace LiveHost.Engine.Lines;

[JsonConverter(typeof(JsonStringEnumConverter<LineStatus>))]
public enum LineStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("speaking")] Speaking,
    [JsonStringEnumMemberName("done")] Done,
}

[JsonConverter(typeof(JsonStringEnumConverter<FinishReason>))]
public enum FinishReason
{
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("interrupted")] Interrupted,
    [JsonStringEnumMemberName("cleared")] Cleared,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("rejected")] Rejected,

    /// <summary>A producer took the line out of the queue (or out of the schedule) before it started.</summary>
    [JsonStringEnumMemberName("removed")] Removed,
}

/// <summary>Where a line's sound comes from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineKind>))]
public enum LineKind
{
    /// <summary>Text the room's synthesizer speaks.</summary>
    [JsonStringEnumMemberName("text")] Text,

    /// <summary>A recorded clip a producer pushed; <see cref="Line.Text"/> is only its caption (may be empty).</summary>
    [JsonStringEnumMemberName("audio")] Audio,

    /// <summary>
    /// Not a sound: a presenter switch (SetPresenter) waiting for its moment between lines. <see cref="Line.Text"/> is the
    /// avatar, <see cref="Line.Voice"/> the room's new default voice (null: unchanged). It "speaks" for no time at all.
    /// </summary>
    [JsonStringEnumMemberName("presenter")] Presenter,
}

/// <summary>Where a line came from (<see cref="Line.Source"/>).</summary>
public static class LineSources
{
    /// <summary>Typed (or pushed) by a person: hub, REST, console. The default.</summary>
    public const string Live = "live";

    /// <summary>Queued from a script (played once or looping as the room's filler).</summary>
    public const string Script = "script";

    /// <summary>An answer to a viewer's question (FAQ).</summary>
    public const string Answer = "answer";

    /// <summary>A sentence of a language model's answer to a viewer's question (issue 18).</summary>
    public const string Llm = "llm";
}

/// <summary>
/// A line as the control plane reports it (CONTRACT.md). Immutable: each change is a new value.
/// <see cref="Interruptible"/> false: a CueNow waits for the line to end (Skip still ends it). <see cref="At"/>: the
/// moment a scheduled line goes to the front of the queue. <see cref="DurationMs"/>: the line's length once its audio is
/// known (from LineStarted on, or the StateChanged that follows when synthesis finishes later).
/// <see cref="Caption"/>, when set, is shown instead of <see cref="Text"/> while the line is spoken (an FAQ answer
/// shows the question). <see cref="Action"/>: the presenter's action played when the line starts speaking, or null.
/// </summary>
public sealed record Line(
    string Id,
    string Room,
    string Text,
    string Language,
    LineStatus Status,
    FinishReason? Reason,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Voice = null,
    string? Tag = null,
    LineKind Kind = LineKind.Text,
    bool Interruptible = true,
    DateTimeOffset? At = null,
    string? Product = null,
    string Source = LineSources.Live,
    string? ScriptId = null,
    long? DurationMs = null,
    string? Caption = null,
    string? Action = null);
