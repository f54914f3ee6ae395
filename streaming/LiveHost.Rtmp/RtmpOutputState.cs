namespace LiveHost.Rtmp;

/// <summary>
/// An output's lifecycle:
/// <code>
/// Connecting --publish accepted--> Live --failure--> Retrying --backoff, publish accepted--> Live ...
///     \--failure--> Retrying                        (any state) --dispose--> Stopped
/// (any state but Stopped) --pause (publication ended)--> Paused --resume--> Connecting
/// </code>
/// </summary>
public enum RtmpOutputState
{
    Connecting,
    Live,
    Retrying,
    Stopped,
    /// <summary>Paused by an operator: no connection, no reconnect, until resumed.</summary>
    Paused,
}

public static class RtmpOutputStateNames
{
    /// <summary>The lowercase names the API reports: "connecting", "live", "retrying", "paused", "stopped".</summary>
    public static string ToApiName(this RtmpOutputState state) => state switch
    {
        RtmpOutputState.Connecting => "connecting",
        RtmpOutputState.Live => "live",
        RtmpOutputState.Retrying => "retrying",
        RtmpOutputState.Paused => "paused",
        _ => "stopped",
    };
}
