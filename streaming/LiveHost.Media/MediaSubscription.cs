using System.Threading.Channels;

namespace LiveHost.Media;

/// <summary>
/// One output's view of a room's encoded stream. Video starts at a keyframe, and after frames were dropped
/// the reader skips video until the next keyframe, because a decoder cannot continue across a hole.
/// </summary>
public sealed class MediaSubscription : IDisposable
{
    private readonly MediaBroadcaster _source;
    private readonly Channel<EncodedFrame> _queue;
    private long _dropped;
    private int _needsKeyframe = 1;

    internal MediaSubscription(MediaBroadcaster source, string name, int capacity, MediaCodec codecs, bool passive)
    {
        _source = source;
        Name = name;
        Codecs = codecs;
        Passive = passive;
        _queue = Channel.CreateBounded<EncodedFrame>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = true,
            },
            OnDropped);
    }

    public string Name { get; }

    /// <summary>The codecs this subscriber takes; frames of others never reach its queue.</summary>
    public MediaCodec Codecs { get; }

    public MediaBroadcaster Source => _source;

    /// <summary>Takes frames without making the room encode them (<see cref="MediaBroadcaster.HasDemand"/>).</summary>
    public bool Passive { get; }

    /// <summary>Frames dropped because this subscriber fell behind.</summary>
    public long DroppedFrames => Interlocked.Read(ref _dropped);

    /// <summary>Frames waiting to be read (a reader can tell a backlog from the usual one or two of a tick).</summary>
    public int QueuedFrames => _queue.Reader.Count;

    internal void Offer(EncodedFrame frame) => _queue.Writer.TryWrite(frame);

    private void OnDropped(EncodedFrame frame)
    {
        Interlocked.Increment(ref _dropped);
        if (frame.Kind == MediaKind.Video && Interlocked.Exchange(ref _needsKeyframe, 1) == 0)
        {
            _source.OnSubscriberNeedsKeyframe();
        }
    }

    /// <summary>The next frame this subscriber can use; video only from a keyframe on.</summary>
    public async ValueTask<EncodedFrame> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (IsUsable(frame)) return frame;
        }
    }

    public bool TryRead(out EncodedFrame? frame)
    {
        while (_queue.Reader.TryRead(out frame))
        {
            if (IsUsable(frame)) return true;
        }
        return false;
    }

    private bool IsUsable(EncodedFrame frame)
    {
        if (frame.Kind != MediaKind.Video || Volatile.Read(ref _needsKeyframe) == 0) return true;
        if (!frame.IsKeyframe) return false;
        Volatile.Write(ref _needsKeyframe, 0);
        return true;
    }

    public void Dispose()
    {
        _source.Unsubscribe(this);
        _queue.Writer.TryComplete();
    }
}
