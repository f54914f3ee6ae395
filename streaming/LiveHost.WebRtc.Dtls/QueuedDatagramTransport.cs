using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Tls;

namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's view of the viewer's UDP path: reads come from the session's <see cref="DtlsDatagramQueue"/>,
/// writes go to the lead's socket callback. One caller at a time: the handshake thread, then one serve pass at a time.
/// </summary>
internal sealed class QueuedDatagramTransport(
    DtlsDatagramQueue queue, DtlsDatagramSender send, int mtu, int receiveLimit, ILogger logger) : DatagramTransport
{
    private volatile bool _closedByTls;

    /// <summary>
    /// While true, a stopped queue makes <see cref="Receive(Span{byte}, int)"/> throw so a blocked handshake
    /// unwinds at once. Once the session is established it returns "nothing received" instead, because an
    /// IOException there would make BouncyCastle send a fatal alert instead of our close_notify.
    /// </summary>
    public volatile bool ThrowWhenStopped = true;

    /// <summary>BouncyCastle closed the transport (after sending close_notify or a fatal alert).</summary>
    public bool ClosedByTls => _closedByTls;

    public int GetReceiveLimit() => receiveLimit;

    public int GetSendLimit() => mtu;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        switch (queue.TryDequeue(buffer, waitMillis, out int length))
        {
            case DtlsDatagramQueue.Result.Received:
                return length;
            case DtlsDatagramQueue.Result.Stopped when ThrowWhenStopped:
                throw new IOException("The DTLS session was stopped.");
            default:
                return -1;
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        try
        {
            send(buffer);
        }
        catch (Exception ex)
        {
            // UDP semantics: a datagram that could not be sent is a lost datagram; DTLS retransmits flights.
            logger.SendFailed(ex);
        }
    }

    public void Close() => _closedByTls = true;
}
