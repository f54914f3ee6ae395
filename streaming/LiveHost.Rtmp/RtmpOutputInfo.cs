namespace LiveHost.Rtmp;

/// <summary>A snapshot of one output for the API. <see cref="Url"/> has the stream key masked.</summary>
/// <param name="Status">"connecting" | "live" | "retrying" | "paused" | "stopped".</param>
/// <param name="Connects">Connections that reached NetStream.Publish.Start.</param>
/// <param name="DroppedFrames">Frames the output's subscriptions dropped because it fell behind, over all its connections.</param>
/// <param name="Reconnects">Connection attempts made after a failure (each backoff ends in one).</param>
/// <param name="Kind">"rtmp" (rtmp:// and rtmps://), "srt" or "whip".</param>
/// <param name="BitsPerSecond">What went out over the last second while live; 0 otherwise.</param>
public sealed record RtmpOutputInfo(
    string Id, string Url, string Status, long Connects, long BytesSent, long DroppedFrames, string? LastError,
    long Reconnects = 0, long BitsPerSecond = 0, string? Preset = null, string Kind = "rtmp");
