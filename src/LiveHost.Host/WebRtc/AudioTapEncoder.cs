using LiveHost.Media;
using LiveHost.WebRtc.Rooms;

namespace LiveHost.Host.WebRtc;

/// <summary>
/// Puts the room's WebRTC stream beside its encoder: every tick goes to ffmpeg as before, and its audio also to the
/// Opus path (browsers get Opus, RTMP gets AAC, both from the same samples). Neither call blocks the engine.
/// </summary>
public sealed class AudioTapEncoder(IRoomEncoder inner, WebRtcRoomStream webRtc) : IRoomEncoder
{
    public MediaBroadcaster Output => inner.Output;
    public long DroppedVideoFrames => inner.DroppedVideoFrames;

    public bool Write(RawMediaTick tick)
    {
        webRtc.WriteAudio(tick.FrameIndex, tick.Samples);
        return inner.Write(tick);
    }

    public void RequestKeyframe() => inner.RequestKeyframe();

    // The inner encoder belongs to the room, which disposes it.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
