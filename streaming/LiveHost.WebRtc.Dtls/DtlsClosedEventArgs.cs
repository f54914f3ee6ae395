namespace LiveHost.WebRtc.Dtls;

/// <summary>Raised once when an established association ends for a reason other than our own Dispose.</summary>
public sealed class DtlsClosedEventArgs(DtlsCloseReason reason, int alertDescription) : EventArgs
{
    /// <summary>Why it ended.</summary>
    public DtlsCloseReason Reason { get; } = reason;

    /// <summary>The TLS AlertDescription involved (0 = close_notify), or -1 when no alert was seen.</summary>
    public int AlertDescription { get; } = alertDescription;
}
