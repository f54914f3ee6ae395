using System.Threading.Channels;
using LiveHost.Encoding.Video;
using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.X264;

/// <summary>
/// The room's video encode in this process: takes BGRA ticks from the bounded video queue, codes each with
/// <see cref="X264Encoder"/> (an IDR when <see cref="KeyframeRequestGate"/> says so) and publishes the access unit.
/// An encoder that fails mid-stream is closed and opened afresh after <see cref="EncoderOptions.RestartBackoff"/>;
/// frames that arrive meanwhile are dropped, as they are while an ffmpeg process restarts.
/// </summary>
internal sealed class X264VideoEncodeLoop(
    MediaFormat format,
    EncoderOptions options,
    ChannelReader<RawMediaTick> frames,
    MediaBroadcaster output,
    KeyframeRequestGate keyframes,
    EncoderCounters counters,
    EncodeLatencyStats latency,
    ILogger logger,
    TimeProvider timeProvider)
{
    private const string Stream = "video";

    /// <summary>
    /// Runs until the queue is completed and drained. <paramref name="opened"/> completes when the first encoder is
    /// open, or faults with why it cannot be (library missing, settings refused): that is permanent, so the loop ends.
    /// </summary>
    public async Task RunAsync(TaskCompletionSource opened, CancellationToken kill)
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

            await foreach (var tick in frames.ReadAllAsync(kill).ConfigureAwait(false))
            {
                if (TryEncode(encoder, tick)) continue;

                encoder.Dispose();
                encoder = null;
                counters.VideoRestarted();
                // The engine keeps writing meanwhile; the bounded queue drops what does not fit, and what is in it
                // when the new encoder opens is stale by the backoff, so it goes too.
                await Task.Delay(options.RestartBackoff, timeProvider, kill).ConfigureAwait(false);
                encoder = Open();
                while (frames.TryRead(out var stale))
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
            var picture = encoder.Encode(tick.Pixels.AsSpan(0, format.FrameBytes), tick.FrameIndex, force);
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
