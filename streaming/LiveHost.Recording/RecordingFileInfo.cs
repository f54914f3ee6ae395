namespace LiveHost.Recording;

/// <summary>One recording file as the API lists it: its name in the room's folder, when it started, how long it plays, its size.</summary>
public sealed record RecordingFileInfo(string Name, DateTimeOffset Start, TimeSpan Duration, long Bytes, bool Recording);
