namespace LiveHost.Media;

/// <summary>
/// The codec of an <see cref="EncodedFrame"/>. A room's encoder publishes all three on one broadcaster; a subscriber
/// names the ones it takes (<see cref="MediaBroadcaster.Subscribe"/>): RTMP, SRT and recordings take H.264 and AAC,
/// the WebRTC room stream H.264 and Opus.
/// </summary>
[Flags]
public enum MediaCodec
{
    /// <summary>H.264 access units in AVCC (<see cref="MediaKind.Video"/>).</summary>
    H264 = 1,

    /// <summary>Raw AAC-LC frames without ADTS header, 1024 samples each (<see cref="MediaKind.Audio"/>).</summary>
    Aac = 2,

    /// <summary>Opus packets (RFC 6716), 960 samples (20 ms) each (<see cref="MediaKind.Audio"/>).</summary>
    Opus = 4,
}
