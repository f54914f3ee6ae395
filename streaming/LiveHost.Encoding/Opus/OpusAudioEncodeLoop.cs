using System.Threading.Channels;
using LiveHost.Encoding.Audio;
using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.Opus;

/// <summary>
/// The room's Opus encode, beside the AAC one and fed the same samples (its own unbounded queue, so neither waits on
/// the other): <see cref="OpusEncoderStage"/> in this process, each 20 ms frame published on the broadcaster as an
/// <see cref="MediaCodec.Opus"/> <see cref="EncodedFrame"/> for the WebRTC viewers (RTMP and recordings take AAC).
/// <para>
/// Timing: the stage starts at the first chunk's sample position (<c>FrameIndex * SamplesPerFrame</c>) and counts on
/// contiguously, as the AAC timeline does (across ticks the engine skipped too: a gap in the chunks' positions is a gap
/// in the frames' pts, see <see cref="OpusEncoderStage.SkipTo"/>), so a frame's pts is <c>AudioPts90k(position)</c>: steps of 1800 on the 90 kHz
/// clock. Its <see cref="EncodedFrame.SourceTimestamp"/> is the instant its first sample had on the engine's clock (the
/// tick holding it, plus the sample's offset into that tick), so that RTP sender reports can map media time to the
/// wall clock from the frames alone.
/// </para>
/// </summary>
internal sealed class OpusAudioEncodeLoop(
    MediaFormat format,
    ChannelReader<AudioChunk> chunks,
    MediaBroadcaster output,
    EncoderCounters counters,
    ILogger logger,
    TimeProvider timeProvider) : IOpusFrameSink
{
    private const string Stream = "opus";

    // Where each chunk fed to the stage starts on the stage's sample timeline, and the timestamp of its tick; _current
    // is the newest chunk that starts at or before the last frame published.
    private readonly Queue<(long Start, long Timestamp)> _chunks = new();
    private (long Start, long Timestamp) _current;
    private OpusEncoderStage? _stage;
    private long _fed;

    /// <summary>Runs until the queue is completed and drained, or <paramref name="kill"/>.</summary>
    public async Task RunAsync(CancellationToken kill)
    {
        try
        {
            await foreach (var chunk in chunks.ReadAllAsync(kill).ConfigureAwait(false)) Encode(chunk);
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            // Killed at shutdown: what is still queued is not needed.
        }
        finally
        {
            EncoderLog.InProcessFinished(logger, Stream);
        }
    }

    private void Encode(AudioChunk chunk)
    {
        if (_stage is null)
        {
            _fed = chunk.FrameIndex * format.SamplesPerFrame;
            _stage = new OpusEncoderStage(new OpusEncoderStageOptions { FirstSamplePosition = _fed });
            EncoderLog.ConfigChanged(logger, Stream, $"Opus {_stage.FrameSamples} samples a frame, {MediaFormat.AudioSampleRate} Hz mono, in process");
        }
        // A chunk later than the samples fed so far: the engine skipped ticks, and the gap stays a gap in the pts.
        var position = chunk.FrameIndex * format.SamplesPerFrame;
        if (position > _fed)
        {
            _stage.SkipTo(position, this);
            _fed = position;
        }
        _chunks.Enqueue((_fed, chunk.SourceTimestamp));
        _fed += chunk.Samples.Length;
        _stage.Write(chunk.Samples, this);
    }

    void IOpusFrameSink.OnOpusFrame(ReadOnlySpan<byte> opusPacket, long samplePosition, int sampleCount)
    {
        // The chunk holding the frame's first sample is the last one starting at or before it.
        while (_chunks.TryPeek(out var next) && next.Start <= samplePosition) _current = _chunks.Dequeue();
        var (start, timestamp) = _current;
        var sourceTimestamp = timestamp + (samplePosition - start) * timeProvider.TimestampFrequency / MediaFormat.AudioSampleRate;
        output.Publish(new EncodedFrame(MediaCodec.Opus, MediaFormat.AudioPts90k(samplePosition), true, opusPacket.ToArray(), sourceTimestamp));
        counters.OpusOut();
    }
}
