namespace LiveHost.Media;

/// <summary>
/// The engine's view of a room's single encode. Writing never blocks the media clock: an encoder that falls
/// behind drops video ticks (counted) but keeps every audio sample, so sound stays continuous.
/// </summary>
public interface IRoomEncoder : IAsyncDisposable
{
    /// <summary>Hands one tick to the encoder. Returns false when the video frame was dropped (audio is kept).</summary>
    bool Write(RawMediaTick tick);

    /// <summary>Asks for the next video frame to be an IDR picture (a new viewer, a decoder that lost sync).</summary>
    void RequestKeyframe();

    /// <summary>Where the encoded frames go; every output of the room subscribes here.</summary>
    MediaBroadcaster Output { get; }

    long DroppedVideoFrames { get; }
}
