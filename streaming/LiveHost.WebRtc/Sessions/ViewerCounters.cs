namespace LiveHost.WebRtc.Sessions;

/// <summary>One viewer's counters; written by its sender and the receive thread, read by metrics.</summary>
public sealed class ViewerCounters
{
    internal long PacketsSentField;
    internal long BytesSentField;
    internal long PacketsDroppedField;
    internal long RetransmissionsField;
    internal long PliField;
    internal long NackField;
    internal long RtcpReceivedField;
    internal long RtcpRejectedField;
    internal long SimulatedLossField;

    public long PacketsSent => Interlocked.Read(ref PacketsSentField);
    public long BytesSent => Interlocked.Read(ref BytesSentField);

    /// <summary>Packets this viewer skipped because it fell more than its queue behind the room (or a send failed).</summary>
    public long PacketsDropped => Interlocked.Read(ref PacketsDroppedField);
    public long Retransmissions => Interlocked.Read(ref RetransmissionsField);
    public long KeyframeRequests => Interlocked.Read(ref PliField);
    public long Nacks => Interlocked.Read(ref NackField);
    public long RtcpReceived => Interlocked.Read(ref RtcpReceivedField);

    /// <summary>SRTCP packets that failed authentication or parsing (fuzz, attacks): dropped, session unharmed.</summary>
    public long RtcpRejected => Interlocked.Read(ref RtcpRejectedField);

    /// <summary>Packets withheld on purpose (<see cref="WebRtcOptions.SimulatedSendLossPercent"/>), for loss-recovery tests.</summary>
    public long SimulatedLoss => Interlocked.Read(ref SimulatedLossField);
}
