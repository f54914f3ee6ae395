using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc.Dtls;

internal static partial class DtlsLog
{
    [LoggerMessage(1, LogLevel.Information, "DTLS handshake completed in {ElapsedMs} ms: SRTP profile {Profile}, cipher suite 0x{CipherSuite:X4}, extended master secret {Ems}")]
    public static partial void HandshakeCompleted(this ILogger logger, long elapsedMs, DtlsSrtpProfile profile, int cipherSuite, bool ems);

    [LoggerMessage(2, LogLevel.Warning, "DTLS handshake failed: {Reason}")]
    public static partial void HandshakeFailed(this ILogger logger, string reason, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "DTLS association closed by the peer: {Reason} (alert {Alert})")]
    public static partial void PeerClosed(this ILogger logger, DtlsCloseReason reason, int alert);

    [LoggerMessage(4, LogLevel.Debug, "Sending a DTLS datagram failed; treating it as lost")]
    public static partial void SendFailed(this ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "DTLS alert raised: level {Level}, {Description} {Detail}")]
    public static partial void AlertRaised(this ILogger logger, short level, string description, string? detail);

    [LoggerMessage(6, LogLevel.Debug, "DTLS alert received: level {Level}, {Description}")]
    public static partial void AlertReceived(this ILogger logger, short level, string description);

    [LoggerMessage(7, LogLevel.Debug, "Discarded a DTLS record after the handshake")]
    public static partial void RecordDiscarded(this ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "The DTLS handshake thread did not stop within {TimeoutMs} ms")]
    public static partial void ThreadDidNotStop(this ILogger logger, long timeoutMs);

    [LoggerMessage(9, LogLevel.Error, "The DTLS handshake thread failed unexpectedly")]
    public static partial void ThreadFailed(this ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "A Closed handler threw")]
    public static partial void ClosedHandlerFailed(this ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "DTLS handshake never started: no DTLS record arrived within {Seconds} s")]
    public static partial void NoRecordArrived(this ILogger logger, double seconds);
}
