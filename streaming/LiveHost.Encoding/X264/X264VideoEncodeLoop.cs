using LiveHost.Encoding.Threading;
using LiveHost.Encoding.Video;
using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.X264;

/// <summary>
/// The room's video encode in this process: takes BGRA ticks from the bounded video queue, codes each with
/// <see cref="X264Encoder"/> (an IDR when <see cref="KeyframeRequestGate"/> says so) and publishes the access unit.
/// An encoder that fails mid-stream is closed and opened afresh after <see cref="EncoderOptions.RestartBackoff"/>;
/// frames that arrive meanwhile are dropped, as they are while an ffmpeg process restarts.
/// <para>
/// It owns a thread (<see cref="Start"/>), as the room's clock does. On the thread pool, every room's encode shared the
/// pool's two or three threads, and the kernel shares a busy machine's CPU per thread: the encodes of eight rooms (a
/// core's worth of work) got about two threads' share against eight room loops, eight AAC processes and espeak, which
/// is the likely reason the 4-frame queues overflowed together while the machine still had CPU on average
/// (perf/results/2026-12-04-2124-rooms.md: 35 drops at 92 % busy, no late tick; not yet confirmed by an idle A/B).
/// With a thread each, the encodes get the CPU in proportion to the rooms that need it. The thread runs at
/// <see cref="EncoderOptions.EncodeThreadNice"/> so that, when the machine is full, the room clocks' ticks come first: with
/// equal weights, eight encode threads beside eight clocks pushed the tick p95 from 8-11 ms to 21-28 ms (2026-12-05 00:09).
/// </para>
/// </summary>
internal sealed class X264VideoEncodeLoop(
    MediaFormat format,
    EncoderOptions options,
    VideoFrameQueue frames,
    MediaBroadcaster output,
    KeyframeRequestGate keyframes,
    EncoderCounters counters,
    EncodeLatencyStats latency,
    ILogger logger,
    TimeProvider timeProvider)
{
    private const string Stream = "video";

    /// <summary>
    /// Runs <see cref="Run"/> on a thread of its own named <paramref name="threadName"/>; the task ends with it.
    /// </summary>
    public Task Start(string threadName, TaskCompletionSource opened, CancellationToken kill)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ThreadNiceness.TrySetForCurrentThread(options.EncodeThreadNice);
                Run(opened, kill);
                ended.TrySetResult();
            }
            catch (Exception ex)
            {
                ended.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = threadName,
        };
        thread.Start();
        return ended.Task;
    }

    /// <summary>
    /// Runs on the calling thread until the queue is completed and drained. <paramref name="opened"/> completes when the
    /// first encoder is open, or faults with why it cannot be (library missing, settings refused): that is permanent,
    /// so the loop ends.
    /// </summary>
    public void Run(TaskCompletionSource opened, CancellationToken kill)
    {
        X264Encoder? encoder = null;
        try
        {
            try
            {
                encoder = Open();
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
            {
                opened.TrySetException(ex);
                return;
            }
            opened.TrySetResult();

            while (frames.TryTake(out var tick, kill))
            {
                if (TryEncode(encoder, tick)) continue;

                encoder.Dispose();
                encoder = null;
                counters.VideoRestarted();
                // The engine keeps writing meanwhile; the bounded queue drops what does not fit, and what is in it
                // when the new encoder opens is stale by the backoff, so it goes too.
                WaitBackoff(kill);
                encoder = Open();
                while (frames.TryTakeNow(out var stale))
                {
                    stale.ReturnPixels();
                    counters.VideoDropped();
                }
            }
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            // Killed at shutdown: frames left in the queue are returned by the owner.
        }
        finally
        {
            encoder?.Dispose();
            EncoderLog.InProcessFinished(logger, Stream);
        }
    }

    // A signalled wait on the injected clock (this thread has nothing else to do meanwhile).
    private void WaitBackoff(CancellationToken kill)
    {
        using var elapsed = new ManualResetEventSlim(false);
        using var timer = timeProvider.CreateTimer(_ => elapsed.Set(), null, options.RestartBackoff, Timeout.InfiniteTimeSpan);
        elapsed.Wait(kill);
    }

    private X264Encoder Open()
    {
        var encoder = new X264Encoder(format, options);
        output.SetVideoConfig(encoder.Config);
        EncoderLog.ConfigChanged(logger, Stream, $"H.264 profile-level-id {encoder.Config.ProfileLevelId}, {encoder.Config.Width}x{encoder.Config.Height}, libx264 in process");
        return encoder;
    }

    private bool TryEncode(X264Encoder encoder, RawMediaTick tick)
    {
        try
        {
            var force = keyframes.ShouldForce(tick.FrameIndex);
            var picture = encoder.Encode(tick.Pixels.AsSpan(0, format.FrameBytes), tick.FrameIndex, force, tick.ChangedRows, tick.PreviousFrameIndex);
            if (picture.IsIdr)
            {
                keyframes.OnIdr(tick.FrameIndex);
                if (force) counters.KeyframeForced();
            }
            output.Publish(new EncodedFrame(MediaKind.Video, format.VideoPts90k(tick.FrameIndex), picture.IsIdr, picture.Data, tick.CreatedTimestamp));
            counters.VideoOut(picture.IsIdr);
            latency.Record(timeProvider.GetElapsedTime(tick.CreatedTimestamp));
            return true;
        }
        catch (InvalidOperationException ex)
        {
            counters.Malformed();
            EncoderLog.MalformedUnit(logger, Stream, ex.Message);
            return false;
        }
        finally
        {
            tick.ReturnPixels();
        }
    }
}
