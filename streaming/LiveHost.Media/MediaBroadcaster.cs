namespace LiveHost.Media;

/// <summary>
/// Fans one room's encoded frames out to its outputs. Publishing never waits: each subscriber has its own
/// bounded queue that drops its oldest frame when full, so a slow or dead output only loses its own frames.
/// Each subscriber takes only the codecs it names: the room's encoder publishes H.264, AAC and Opus here.
/// It also tells the encoder whether anyone wants the frames at all (<see cref="HasDemand"/>): every subscription
/// does unless made passive, and so does every <see cref="HoldDemand"/> not yet released (a WebRTC room stream
/// subscribes passively and holds demand while it has viewers). With no demand the room's encoder codes nothing.
/// </summary>
public sealed class MediaBroadcaster
{
    private readonly object _gate = new();
    private MediaSubscription[] _subscribers = [];
    private H264Config? _videoConfig;
    private AacConfig? _audioConfig;
    private int _demand;

    public MediaBroadcaster(MediaFormat format) => Format = format;

    public MediaFormat Format { get; }

    public H264Config? VideoConfig => Volatile.Read(ref _videoConfig);
    public AacConfig? AudioConfig => Volatile.Read(ref _audioConfig);

    public long PublishedFrames => Interlocked.Read(ref _published);
    private long _published;

    /// <summary>Raised (on the encoder's thread) when a subscriber needs an IDR to resynchronise.</summary>
    public event Action? KeyframeRequested;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>True while a subscription that is not passive, or a <see cref="HoldDemand"/>, wants the room encoded.</summary>
    public bool HasDemand => Volatile.Read(ref _demand) > 0;

    public void SetVideoConfig(H264Config config) => Volatile.Write(ref _videoConfig, config);
    public void SetAudioConfig(AacConfig config) => Volatile.Write(ref _audioConfig, config);

    public void Publish(EncodedFrame frame)
    {
        Interlocked.Increment(ref _published);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if ((subscriber.Codecs & frame.Codec) != 0) subscriber.Offer(frame);
        }
    }

    /// <param name="name">Who subscribes, for logs and metrics.</param>
    /// <param name="capacity">Frames the subscriber may fall behind before its oldest are dropped.</param>
    /// <param name="codecs">The codecs it takes; by default H.264 and AAC, what RTMP, SRT and recordings carry. A
    /// subscriber that takes H.264 asks for a keyframe, so that its video can start.</param>
    /// <param name="passive">Takes frames without making the room encode them (see <see cref="HasDemand"/>).</param>
    public MediaSubscription Subscribe(string name, int capacity = 256, MediaCodec codecs = MediaCodec.H264 | MediaCodec.Aac, bool passive = false)
    {
        if (codecs == 0 || (codecs & ~(MediaCodec.H264 | MediaCodec.Aac | MediaCodec.Opus)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(codecs), codecs, "name one or more of H264, Aac, Opus");
        }
        var subscription = new MediaSubscription(this, name, capacity, codecs, passive);
        lock (_gate) _subscribers = [.. _subscribers, subscription];
        if (!passive) Interlocked.Increment(ref _demand);
        if ((codecs & MediaCodec.H264) != 0) KeyframeRequested?.Invoke();
        return subscription;
    }

    /// <summary>Makes the room encode until the returned handle is disposed (once; later disposals do nothing).</summary>
    public IDisposable HoldDemand()
    {
        Interlocked.Increment(ref _demand);
        KeyframeRequested?.Invoke();
        return new DemandHold(this);
    }

    internal void Unsubscribe(MediaSubscription subscription)
    {
        bool removed;
        lock (_gate)
        {
            var before = _subscribers.Length;
            _subscribers = _subscribers.Where(s => s != subscription).ToArray();
            removed = _subscribers.Length < before;
        }
        if (removed && !subscription.Passive) Interlocked.Decrement(ref _demand);
    }

    private sealed class DemandHold(MediaBroadcaster owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Interlocked.Decrement(ref owner._demand);
        }
    }

    internal void OnSubscriberNeedsKeyframe() => KeyframeRequested?.Invoke();
}
