namespace LiveHost.Rtmp;

/// <summary>One reassembled incoming RTMP message. Only the receive path creates these, and servers send few.</summary>
public sealed record RtmpMessage(byte TypeId, uint Timestamp, uint StreamId, byte[] Payload);
