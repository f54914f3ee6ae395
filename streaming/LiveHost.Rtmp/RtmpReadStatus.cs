namespace LiveHost.Rtmp;

public enum RtmpReadStatus
{
    /// <summary>The input does not hold a whole chunk yet; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>One chunk was consumed but its message is not complete.</summary>
    ChunkConsumed,

    /// <summary>One chunk was consumed and completed a message.</summary>
    Message,

    /// <summary>The input breaks the protocol; the connection should be closed.</summary>
    Invalid,
}
