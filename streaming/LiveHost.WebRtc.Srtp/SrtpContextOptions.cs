namespace LiveHost.WebRtc.Srtp;

/// <summary>Limits of one <see cref="SrtpContext"/>.</summary>
public sealed class SrtpContextOptions
{
    /// <summary>SSRCs one context tracks, each for SRTP and for SRTCP (default 16). Preallocated.</summary>
    public int MaxStreams { get; init; } = 16;

    /// <summary>Reject replayed and too-old packets on the unprotect side (default true; RFC 3711 §3.3.2).</summary>
    public bool ReplayProtection { get; init; } = true;

    internal void Validate()
    {
        if (MaxStreams is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStreams), MaxStreams, "MaxStreams must be between 1 and 1024.");
        }
    }
}
