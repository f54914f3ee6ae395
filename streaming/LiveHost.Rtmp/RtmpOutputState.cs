namespace LiveHost.Rtmp;

/// <summary>
/// An output's lifecycle:
/// <code>
/// Connecting --publish accepted--> Live --failure--> Retrying --backoff, publish accepted--> Live ...
///     \--failure--> Retrying                        (any state) --dispose--> Stopped
/// </code>
/// </summary>
public enum RtmpOutputState
{
    Connecting,
    Live,
    Retrying,
    Stopped,
}

public static class RtmpOutputStateNames
{
    /// <summary>The lowercase names the API reports: "connecting", "live", "retrying", "stopped".</summary>
    public static string ToApiName(this RtmpOutputState state) => state switch
    {
        RtmpOutputState.Connecting => "connecting",
        RtmpOutputState.Live => "live",
        RtmpOutputState.Retrying => "retrying",
        _ => "stopped",
    };
}
