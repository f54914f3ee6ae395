namespace LiveHost.Media;

/// <summary>
/// Fans one room's encoded frames out to its outputs. Publishing never waits: each subscriber has its own
/// bounded queue that drops its oldest frame when full, so a slow or dead output only loses its own frames.
/// </summary>
public sealed class MediaBroadcaster
{
    private readonly object _gate = new();
    private MediaSubscription[] _subscribers = [];
    private H264Config? _videoConfig;
    private AacConfig? _audioConfig;

    public MediaBroadcaster(MediaFormat format) => Format = format;

    public MediaFormat Format { get; }

    public H264Config? VideoConfig => Volatile.Read(ref _videoConfig);
    public AacConfig? AudioConfig => Volatile.Read(ref _audioConfig);

    public long PublishedFrames => Interlocked.Read(ref _published);
    private long _published;

    /// <summary>Raised (on the encoder's thread) when a subscriber needs an IDR to resynchronise.</summary>
    public event Action? KeyframeRequested;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public void SetVideoConfig(H264Config config) => Volatile.Write(ref _videoConfig, config);
    public void SetAudioConfig(AacConfig config) => Volatile.Write(ref _audioConfig, config);

    public void Publish(EncodedFrame frame)
    {
        Interlocked.Increment(ref _published);
        foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.Offer(frame);
    }

    /// <param name="name">Who subscribes, for logs and metrics.</param>
    /// <param name="capacity">Frames the subscriber may fall behind before its oldest are dropped.</param>
    public MediaSubscription Subscribe(string name, int capacity = 256)
    {
        var subscription = new MediaSubscription(this, name, capacity);
        lock (_gate) _subscribers = [.. _subscribers, subscription];
        KeyframeRequested?.Invoke();
        return subscription;
    }

    internal void Unsubscribe(MediaSubscription subscription)
    {
        lock (_gate) _subscribers = _subscribers.Where(s => s != subscription).ToArray();
    }

    internal void OnSubscriberNeedsKeyframe() => KeyframeRequested?.Invoke();
}
