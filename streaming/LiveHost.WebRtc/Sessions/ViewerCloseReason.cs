namespace LiveHost.WebRtc.Sessions;

public enum ViewerCloseReason
{
    /// <summary>The player sent DELETE (or left the page).</summary>
    Deleted,

    /// <summary>No ICE consent check for the consent timeout (RFC 7675): the viewer went away silently.</summary>
    ConsentExpired,

    HandshakeFailed,

    /// <summary>The browser closed DTLS (close_notify or an alert).</summary>
    PeerClosed,

    ServerStopping,

    /// <summary>The room was stopped for good (e.g. its avatar's consent was withdrawn): its viewers are ended.</summary>
    RoomStopped,
}
