namespace LiveHost.Engine.Lines;

/// <summary>What a seller or producer asks a room to say (CONTRACT.md).</summary>
public sealed record LineRequest(string? Room, string? Text, string? Language = null, string? Voice = null, string? Tag = null, string? Caption = null);
