using LiveHost.Media;

namespace LiveHost.Host.Rooms;

/// <summary>
/// Adds the <see cref="AvSyncMarker"/> tone burst to marked ticks before any output sees them (WebRTC, RTMP,
/// recordings alike), for A/V sync measurement; a room turns it on with <c>Rooms:{room}:AvSyncMarker</c> (with
/// <c>FrameStamp</c>, so the picture carries the matching frame index).
/// </summary>
public sealed class AvSyncMarkerEncoder(IRoomEncoder inner) : IRoomEncoder
{
    public MediaBroadcaster Output => inner.Output;
    public long DroppedVideoFrames => inner.DroppedVideoFrames;

    public bool Write(RawMediaTick tick)
    {
        // The samples' own tick, which is later than the frame's when the engine sends audio ahead (Engine:AudioLeadMilliseconds).
        AvSyncMarker.MixInto(tick.AudioFrameIndex, tick.Samples);
        return inner.Write(tick);
    }

    public void RequestKeyframe() => inner.RequestKeyframe();

    // The inner encoder belongs to the room, which disposes it.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
