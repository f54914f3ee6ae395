using LiveHost.Media;

namespace LiveHost.Engine.Rooms;

/// <summary>A room's fixed identity: its name, default language and media shape.</summary>
public sealed record RoomDefinition(string Name, string Language, MediaFormat Format);
