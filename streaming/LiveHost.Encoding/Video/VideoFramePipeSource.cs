using System.Collections.Concurrent;
using System.Threading.Channels;
using FFMpegCore.Pipes;
using LiveHost.Encoding.Ffmpeg;
using LiveHost.Media;

namespace LiveHost.Encoding.Video;

/// <summary>
/// Feeds one ffmpeg run raw BGRA frames from the room's bounded video queue. Each frame is noted in the run's
/// FIFO before it is written (with zerolatency and no B-frames one access unit comes out per frame, in order),
/// and its pixels go back to the pool the moment ffmpeg has them.
/// </summary>
/// <param name="connected">Called when ffmpeg has opened its input, i.e. the process is up and reading.</param>
internal sealed class VideoFramePipeSource(MediaFormat format, ChannelReader<RawMediaTick> frames, ConcurrentQueue<PendingVideoFrame> pending, Action connected) : IPipeSource
{
    public string GetStreamArguments() => FfmpegCommandLine.RawVideoInput(format);

    public async Task WriteAsync(Stream outputStream, CancellationToken cancellationToken)
    {
        connected();
        await foreach (var tick in frames.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                pending.Enqueue(new PendingVideoFrame(tick.FrameIndex, tick.CreatedTimestamp));
                await outputStream.WriteAsync(tick.Pixels.AsMemory(0, format.FrameBytes), cancellationToken).ConfigureAwait(false);
                await outputStream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                tick.ReturnPixels();
            }
        }
    }
}
