namespace LiveHost.Engine.Lines;

/// <summary>
/// Recorded audio a producer asks a room to play as a line: 48 kHz mono 16-bit samples (the control plane decodes
/// and resamples whatever was uploaded), an optional caption shown while it plays, and an optional tag.
/// </summary>
public sealed record AudioLineRequest(string? Room, ReadOnlyMemory<short> Samples, string? Caption = null, string? Tag = null);
