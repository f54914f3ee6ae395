namespace LiveHost.WebRtc.Dtls;

/// <summary>Why an established DTLS association ended.</summary>
public enum DtlsCloseReason
{
    /// <summary>The peer sent close_notify (RFC 5246 §7.2.1): an orderly close.</summary>
    PeerCloseNotify,

    /// <summary>The peer sent a fatal alert.</summary>
    PeerFatalAlert,

    /// <summary>Our side hit an unrecoverable protocol error and sent a fatal alert.</summary>
    LocalError,
}
