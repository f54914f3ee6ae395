namespace LiveHost.WebRtc.Dtls;

/// <summary>The DTLS handshake with a viewer failed; the message says why in words an operator can act on.</summary>
public sealed class DtlsHandshakeException : Exception
{
    public DtlsHandshakeException()
    {
    }

    public DtlsHandshakeException(string message)
        : base(message)
    {
    }

    public DtlsHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
