using System.Text.Json.Serialization;

namespace LiveHost.Engine.Moderation;

/// <summary>What a room does with a line that contains a blocked term (<c>Rooms:{room}:Moderation:Mode</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModerationMode>))]
public enum ModerationMode
{
    /// <summary>Refused with <c>blockedTerm</c>, naming the term and where it is (the default).</summary>
    [JsonStringEnumMemberName("block")] Block,

    /// <summary>Held in the room's review list until a producer approves, edits or rejects it.</summary>
    [JsonStringEnumMemberName("review")] Review,

    /// <summary>Not checked (a test room, say).</summary>
    [JsonStringEnumMemberName("off")] Off,
}
