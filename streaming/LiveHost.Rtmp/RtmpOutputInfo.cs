namespace LiveHost.Rtmp;

/// <summary>A snapshot of one output for the API. <see cref="Url"/> has the stream key masked.</summary>
/// <param name="Status">"connecting" | "live" | "retrying" | "stopped".</param>
/// <param name="Connects">Connections that reached NetStream.Publish.Start.</param>
/// <param name="DroppedFrames">Frames the output's subscriptions dropped because it fell behind, over all its connections.</param>
public sealed record RtmpOutputInfo(
    string Id, string Url, string Status, long Connects, long BytesSent, long DroppedFrames, string? LastError);
