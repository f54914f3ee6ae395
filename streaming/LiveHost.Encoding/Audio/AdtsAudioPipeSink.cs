using System.Buffers;
using System.IO.Pipelines;
using FFMpegCore.Pipes;
using LiveHost.Media.Codecs;
using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.Audio;

/// <summary>
/// Reads one audio ffmpeg run's ADTS output: the first header gives the room's <see cref="AacConfig"/>, the priming
/// frame is dropped, and every other frame is published without its header, timed by <see cref="AudioTimeline"/>.
/// </summary>
internal sealed class AdtsAudioPipeSink(
    MediaBroadcaster output,
    AudioTimeline timeline,
    EncoderCounters counters,
    EncodeLatencyStats latency,
    TimeProvider timeProvider,
    ILogger logger,
    Action abort) : IPipeSink
{
    private const string Stream = "audio";
    private readonly AdtsReader _adts = new();
    private long _frameNumber;

    public string GetStreamArguments() => "-f adts";

    public async Task ReadAsync(System.IO.Stream inputStream, CancellationToken cancellationToken)
    {
        // As for video: read to the end of the stream, which comes when ffmpeg exits or is killed.
        var reader = PipeReader.Create(inputStream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (_adts.TryRead(ref buffer, out var frame)) OnFrame(frame);
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (_adts.Error is not null)
                {
                    counters.Malformed();
                    EncoderLog.MalformedStream(logger, Stream, _adts.Error);
                    abort();
                    return;
                }
                if (result.IsCompleted) return;
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void OnFrame(AdtsFrame frame)
    {
        var number = _frameNumber++;
        if (number == 0)
        {
            var header = frame.Header;
            var config = new AacConfig(AudioSpecificConfig.FromAdts(header), header.SampleRate, header.ChannelConfiguration);
            output.SetAudioConfig(config);
            EncoderLog.ConfigChanged(logger, Stream, $"AAC object type {header.AudioObjectType}, {config.SampleRate} Hz, {config.Channels} channel(s)");
            return; // the priming frame: encoder delay, no input samples of its own
        }

        var (pts, sourceTimestamp) = timeline.Frame(number);
        output.Publish(new EncodedFrame(MediaKind.Audio, pts, true, frame.Payload.ToArray(), sourceTimestamp));
        counters.AudioOut();
        latency.Record(timeProvider.GetElapsedTime(sourceTimestamp));
    }
}
