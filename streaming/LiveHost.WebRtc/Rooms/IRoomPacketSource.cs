namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// A room's media as one viewer's sender sees it: the plaintext RTP rings every viewer reads, the stream identities
/// its sender reports carry, and the two things a viewer may tell the room (it dropped packets, it needs a keyframe).
/// <see cref="WebRtcRoomStream"/> is the product's; the fan-out benchmark replays a recorded room through another.
/// </summary>
public interface IRoomPacketSource
{
    RtpPacketRing Video { get; }
    RtpPacketRing Audio { get; }
    uint VideoSsrc { get; }
    uint AudioSsrc { get; }
    string CName { get; }

    /// <summary>False until the room's media clock has a reference: no sender report can be written before.</summary>
    bool CanReportTime { get; }

    /// <summary>The current instant on each track's RTP clock, for sender reports (RFC 3550 6.4.1).</summary>
    (uint Video, uint Audio) RtpTimestampsNow();

    /// <summary>A viewer skipped packets (fell behind, or a send failed). Must never block.</summary>
    void CountViewerDrops(long packets);

    /// <summary>A viewer lost the picture (PLI/FIR, a cut forward) or joined between keyframes. Must never block.</summary>
    void RequestKeyframe();
}
