using LiveHost.Speech;

namespace LiveHost.Engine.Lines;

/// <summary>A request that passed validation, with the room's defaults filled in.</summary>
public sealed record ValidatedLine(string Text, string Language, VoiceInfo Voice, string? Tag, string? Product = null, string? Caption = null);
