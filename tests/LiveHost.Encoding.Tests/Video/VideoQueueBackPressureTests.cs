using LiveHost.Encoding.Tests.Fixtures;
using LiveHost.Encoding.Video;
using LiveHost.Media;

namespace LiveHost.Encoding.Tests.Video;

/// <summary>
/// The bound between the room's clock and its video encode: a stalled encode (a thread the kernel did not run for a
/// while) loses nothing until its queue is full; past that, frames are refused at once, so memory stays bounded.
/// The stall is made on purpose: the encoder's own thread is held inside its latency callback until the test lets go.
/// </summary>
public sealed class VideoQueueBackPressureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_stalled_encode_absorbs_a_full_queue_without_a_drop_then_refuses_frames_and_encodes_all_it_took()
    {
        const int capacity = 6;
        var format = new MediaFormat(320, 240, 25);
        await using var harness = new EncoderHarness(output, format, new EncoderOptions { VideoQueueCapacity = capacity });
        await harness.StartAsync();
        var stalled = new TaskCompletionSource<(bool Pool, string? Name)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim(false);
        var first = 1;
        harness.Encoder.VideoLatency.Recorded += _ =>
        {
            if (Interlocked.Exchange(ref first, 0) == 0) return;
            stalled.TrySetResult((Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
            release.Wait(Patience);
        };

        Assert.True(harness.WriteOne());
        var (onPool, threadName) = await stalled.Task.WaitAsync(Patience);
        // The encode owns a thread: it is not one work item among every room's in the pool's queue.
        Assert.False(onPool);
        Assert.Equal("x264 encode", threadName);

        // Frame 0 is held in the stalled encode; the next `capacity` frames wait, none dropped.
        for (var i = 0; i < capacity; i++) Assert.True(harness.WriteOne(), $"frame {i + 1} was dropped with {i} waiting");
        Assert.Equal(0, harness.Encoder.DroppedVideoFrames);
        Assert.Equal(capacity, harness.Encoder.VideoQueueHighWater);

        // Really behind: refused at once, counted, pixels straight back to the pool (one more buffer at most, reused).
        for (var i = 0; i < 3; i++) Assert.False(harness.WriteOne());
        Assert.Equal(3, harness.Encoder.DroppedVideoFrames);
        Assert.Equal(capacity + 2, harness.Pool.Allocated);
        Assert.Equal((capacity + 4) * format.SamplesPerFrame, harness.Encoder.Counters.AudioSamplesIn); // audio is never dropped

        release.Set();
        await harness.FinishAsync();
        Assert.Equal(Enumerable.Range(0, capacity + 1).Select(i => format.VideoPts90k(i)), harness.Video.Select(f => f.Pts90k));
    }

    [Fact]
    public async Task A_reader_waiting_on_its_thread_wakes_for_a_write_and_sees_the_end_after_the_last_frame()
    {
        var format = new MediaFormat(64, 48, 25);
        var pool = new FrameBufferPool(format.FrameBytes);
        using var queue = new VideoFrameQueue(50);
        var taken = new List<long>();
        var reader = new Thread(() =>
        {
            while (queue.TryTake(out var tick, CancellationToken.None))
            {
                lock (taken) taken.Add(tick.FrameIndex);
                tick.ReturnPixels();
            }
        }) { IsBackground = true };
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reader.Start();
        var watcher = new Thread(() =>
        {
            reader.Join();
            ended.TrySetResult();
        }) { IsBackground = true };
        watcher.Start();

        for (var i = 0; i < 50; i++)
        {
            Assert.True(queue.TryWrite(new RawMediaTick(i, pool.Rent(), pool, [], 0)));
        }
        queue.Complete();
        await ended.Task.WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), taken);
        Assert.InRange(queue.HighWater, 1, 50);
        Assert.False(queue.TryWrite(new RawMediaTick(50, pool.Rent(), pool, [], 0))); // completed: refused
    }
}
