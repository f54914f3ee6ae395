namespace LiveHost.WebRtc.Sessions;

/// <summary>What a queued packet is, for the sender-report counts: retransmissions count in neither track.</summary>
public enum MediaTrack
{
    Video = 0,
    Audio = 1,
    Retransmission = 2,
}
