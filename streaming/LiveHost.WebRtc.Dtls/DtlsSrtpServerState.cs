namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// Lifecycle of a <see cref="DtlsSrtpServer"/>:
/// <code>
///   New ──HandshakeAsync──▶ Handshaking ──keys──▶ Connected ──peer close_notify / fatal alert──▶ Closed
///                               │                     │
///                               └──failure──▶ Failed  └──Dispose (we send close_notify)─────────▶ Closed
/// </code>
/// Dispose from New or Handshaking also ends in Closed.
/// </summary>
public enum DtlsSrtpServerState
{
    New,
    Handshaking,
    Connected,
    Failed,
    Closed,
}
