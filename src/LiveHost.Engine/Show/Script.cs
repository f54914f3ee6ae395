using System.Text.Json.Serialization;

namespace LiveHost.Engine.Show;

/// <summary>
/// One line of a script: what a <see cref="Lines.LineRequest"/> says, plus a gap after it. <see cref="Action"/>: the
/// presenter's action played when the line starts (checked as a name when the script is saved, against the room's
/// presenter when it is played; a looping line whose action the presenter lacks plays without it).
/// </summary>
public sealed record ScriptLine(string? Text, string? Language = null, string? Voice = null, string? Product = null, int? PauseAfterMs = null,
    string? Action = null);

/// <summary>A named, ordered list of lines (global, not per room). <see cref="Id"/> null: a new script.</summary>
public sealed record Script(string? Id, string? Name, IReadOnlyList<ScriptLine>? Lines, DateTimeOffset? UpdatedAt = null);

/// <summary>A script as <c>GET /api/scripts</c> lists it.</summary>
public sealed record ScriptSummary(string Id, string Name, int LineCount, DateTimeOffset UpdatedAt);

/// <summary>Body of <c>GET /api/scripts</c> and result of <c>ListScripts()</c>.</summary>
public sealed record ScriptList(IReadOnlyList<ScriptSummary> Scripts);

[JsonConverter(typeof(JsonStringEnumConverter<ScriptMode>))]
public enum ScriptMode
{
    /// <summary>Queue the script's lines once, behind what is queued.</summary>
    [JsonStringEnumMemberName("once")] Once,

    /// <summary>The script becomes the room's filler: its next line plays whenever nothing else does, wrapping around.</summary>
    [JsonStringEnumMemberName("loop")] Loop,
}

/// <summary>
/// <c>RoomState.script</c>: the script a room loops. <see cref="Position"/> is the index (0-based) of the script line
/// the loop plays next; <see cref="Length"/> its number of lines.
/// </summary>
public sealed record ScriptStatus(string Id, string Name, ScriptMode Mode, int Position, int Length);

/// <summary>What a room remembers of its loop across a restart: the script, and the line to play first.</summary>
public sealed record StoredRoomScript(string ScriptId, ScriptMode Mode, int Position);
