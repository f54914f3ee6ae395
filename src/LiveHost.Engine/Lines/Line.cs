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
    string? Tag = null,
    LineKind Kind = LineKind.Text)
{
    /// <summary>Where the line came from: <see cref="LineSources.Live"/> (typed), <see cref="LineSources.Script"/>...</summary>
    public string Source { get; init; } = LineSources.Live;

    /// <summary>The script a <see cref="LineSources.Script"/> line comes from; null otherwise.</summary>
    public string? ScriptId { get; init; }

    /// <summary>The product shown while the line plays (a product id), or null.</summary>
    public string? Product { get; init; }
}

/// <summary>The values of <see cref="Line.Source"/>.</summary>
public static class LineSources
{
    public const string Live = "live";
    public const string Script = "script";
}
