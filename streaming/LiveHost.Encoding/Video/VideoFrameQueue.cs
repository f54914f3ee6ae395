using System.Threading.Channels;
using LiveHost.Media;

namespace LiveHost.Encoding.Video;

/// <summary>
/// The bounded hand-over of raw video ticks from the room's media clock to its video encoder. The clock never waits:
/// <see cref="TryWrite"/> refuses a tick when <see cref="Capacity"/> ticks already wait, and that refusal is the
/// back-pressure (the caller drops the frame and counts it), so a truly slow encoder costs at most
/// <see cref="Capacity"/> frames of memory. The bound is there for an encoder that is behind, not for one that was
/// merely scheduled late: it should hold more frames than the longest scheduling hiccup of a busy machine lasts.
/// <para>
/// Two kinds of reader: an ffmpeg pipe reads <see cref="Reader"/> asynchronously; the in-process encoder, which owns a
/// thread, blocks in <see cref="TryTake"/>.
/// </para>
/// </summary>
internal sealed class VideoFrameQueue : IDisposable
{
    private readonly Channel<RawMediaTick> _channel;
    // Set after every write and at completion; the blocking reader resets it before it looks, so no wake-up is lost.
    // No spinning: on a 2-core machine a spinning reader takes the core from the thread that would write.
    private readonly ManualResetEventSlim _written = new(false, spinCount: 0);
    private int _highWater;

    public VideoFrameQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _channel = Channel.CreateBounded<RawMediaTick>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of waiting; the caller drops the frame
            SingleReader = true,
        });
    }

    public int Capacity { get; }

    public ChannelReader<RawMediaTick> Reader => _channel.Reader;

    /// <summary>Ticks waiting now.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>The most ticks ever waiting at once, counting the one just written (Capacity: the bound was reached).</summary>
    public int HighWater => Volatile.Read(ref _highWater);

    /// <summary>Queues the tick, or returns false at once when <see cref="Capacity"/> ticks wait (or the queue is completed).</summary>
    public bool TryWrite(RawMediaTick tick)
    {
        if (!_channel.Writer.TryWrite(tick)) return false;
        var depth = _channel.Reader.Count;
        var seen = Volatile.Read(ref _highWater);
        while (depth > seen)
        {
            var was = Interlocked.CompareExchange(ref _highWater, depth, seen);
            if (was == seen) break;
            seen = was;
        }
        _written.Set();
        return true;
    }

    /// <summary>
    /// Waits on the calling thread for the next tick. False once the queue is completed and empty.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public bool TryTake(out RawMediaTick tick, CancellationToken cancellationToken)
    {
        while (true)
        {
            _written.Reset();
            if (_channel.Reader.TryRead(out tick!)) return true;
            if (_channel.Reader.Completion.IsCompleted) return false;
            _written.Wait(cancellationToken);
        }
    }

    /// <summary>Takes a waiting tick without blocking (stale frames thrown away after a restart, leftovers at shutdown).</summary>
    public bool TryTakeNow(out RawMediaTick tick) => _channel.Reader.TryRead(out tick!);

    /// <summary>No more writes; readers drain what is queued, then see the end.</summary>
    public void Complete()
    {
        _channel.Writer.TryComplete();
        _written.Set();
    }

    public void Dispose() => _written.Dispose();
}
