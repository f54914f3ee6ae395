namespace LiveHost.Rtmp;

/// <summary>The server refused a step (connect, createStream, publish) or broke the protocol.</summary>
public sealed class RtmpProtocolException : Exception
{
    public RtmpProtocolException(string message) : base(message) { }
    public RtmpProtocolException(string message, Exception inner) : base(message, inner) { }
    public RtmpProtocolException() { }
}
