namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// Sends one datagram to the viewer over the shared ICE/DTLS/SRTP socket. Called by BouncyCastle (handshake thread or a serve pass);
/// the callee must not keep the span. A thrown exception is logged and treated as a lost datagram
/// (DTLS retransmits handshake flights).
/// </summary>
public delegate void DtlsDatagramSender(ReadOnlySpan<byte> datagram);
