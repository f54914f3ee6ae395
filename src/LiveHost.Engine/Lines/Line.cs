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
}

/// <summary>Where a line's sound comes from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineKind>))]
public enum LineKind
{
    /// <summary>Text the room's synthesizer speaks.</summary>
    [JsonStringEnumMemberName("text")] Text,

    /// <summary>A recorded clip a producer pushed; <see cref="Line.Text"/> is only its caption (may be empty).</summary>
    [JsonStringEnumMemberName("audio")] Audio,
}

/// <summary>
/// A line as the control plane reports it (CONTRACT.md). Immutable: each change is a new value. <see cref="Caption"/>,
/// when set, is shown instead of <see cref="Text"/> while the line is spoken (an FAQ answer shows the question).
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
    string? Caption = null);
