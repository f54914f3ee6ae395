namespace LiveHost.Engine.Options;

/// <summary>Engine-wide settings, bound from <c>Engine</c>.</summary>
public sealed class EngineOptions
{
    /// <summary>Longest line accepted, in characters (UTF-16 code units). About five minutes of speech.</summary>
    public int MaxTextLength { get; set; } = 5000;

    /// <summary>Longest tag accepted.</summary>
    public int MaxTagLength { get; set; } = 200;

    /// <summary>Queued lines per room beyond which new lines are refused.</summary>
    public int MaxQueueLength { get; set; } = 1000;

    /// <summary>Length of the fade applied when a line is cut (CueNow, Skip, Pause), so the cut does not click.</summary>
    public double CutFadeMilliseconds { get; set; } = 10;

    /// <summary>How far ahead of the sound the mouth moves: lips lead the voice they shape.</summary>
    public double VisemeLeadMilliseconds { get; set; } = 40;

    /// <summary>A tick later than this counts as late (and /healthz reports it).</summary>
    public double LateTickMilliseconds { get; set; } = 200;
}
