namespace LiveHost.WebRtc.Sessions;

public enum ViewerSessionState
{
    /// <summary>Answer sent; waiting for the browser's ICE check and DTLS handshake.</summary>
    Connecting,

    /// <summary>Keys agreed; media flowing.</summary>
    Live,

    Closed,
}
