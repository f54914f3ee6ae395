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

/// <summary>A line as the control plane reports it (CONTRACT.md). Immutable: each change is a new value.</summary>
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
    string? Tag = null);
