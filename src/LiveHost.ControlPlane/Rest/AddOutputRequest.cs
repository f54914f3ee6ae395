namespace LiveHost.ControlPlane;

/// <summary>Body of <c>POST /api/rooms/{room}/outputs</c>: <c>{ "url": "rtmp://..." }</c>.</summary>
public sealed record AddOutputRequest(string? Url);
