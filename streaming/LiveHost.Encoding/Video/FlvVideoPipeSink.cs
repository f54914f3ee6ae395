using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using FFMpegCore.Pipes;
using LiveHost.Media.Codecs;
using LiveHost.Encoding.Flv;
using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.Video;

/// <summary>
/// Reads one ffmpeg run's FLV output. FLV frames every access unit with its length, so a frame is published the
/// moment its tag is complete (Annex-B would make us wait for the next start code, one frame later). The sequence
/// header becomes the room's <see cref="H264Config"/>; each NALU tag, already AVCC, is checked and published with
/// the timestamp of the input frame it came from.
/// </summary>
internal sealed class FlvVideoPipeSink(
    MediaFormat format,
    MediaBroadcaster output,
    ConcurrentQueue<PendingVideoFrame> pending,
    EncoderCounters counters,
    EncodeLatencyStats latency,
    TimeProvider timeProvider,
    ILogger logger,
    Action abort) : IPipeSink
{
    private const string Stream = "video";
    private readonly FlvTagReader _tags = new();
    private int _nalLengthSize = 4;

    public string GetStreamArguments() => "-f flv";

    public async Task ReadAsync(System.IO.Stream inputStream, CancellationToken cancellationToken)
    {
        // Read to the end of the stream rather than until the token fires: FFMpegCore cancels it when the process
        // exits, and the last tags may still be in the pipe then. The stream ends when ffmpeg exits or is killed.
        var reader = PipeReader.Create(inputStream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (_tags.TryRead(ref buffer, out var tag))
                {
                    if (tag.Type == FlvTagType.Video) OnVideoTag(tag);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (_tags.Error is not null)
                {
                    counters.Malformed();
                    EncoderLog.MalformedStream(logger, Stream, _tags.Error);
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

    private void OnVideoTag(FlvTag tag)
    {
        Span<byte> headerBytes = stackalloc byte[FlvVideoTagHeader.Length];
        if (tag.Data.Length < FlvVideoTagHeader.Length)
        {
            Malformed("video tag shorter than its header");
            return;
        }
        tag.Data.Slice(0, FlvVideoTagHeader.Length).CopyTo(headerBytes);
        if (!FlvVideoTagHeader.TryParse(headerBytes, out var header, out var consumed))
        {
            Malformed($"video tag header {Convert.ToHexString(headerBytes)} is not AVC");
            return;
        }
        var body = tag.Data.Slice(consumed);
        switch (header.PacketType)
        {
            case AvcPacketType.SequenceHeader:
                OnSequenceHeader(body.ToArray());
                break;
            case AvcPacketType.Nalu:
                OnAccessUnit(body, tag.TimestampMs + header.CompositionTimeMs);
                break;
        }
    }

    private void OnSequenceHeader(byte[] record)
    {
        if (!AvcDecoderConfiguration.TryParse(record, out var configuration) || configuration is null)
        {
            Malformed("AVC sequence header does not parse");
            return;
        }
        int width = format.Width, height = format.Height;
        if (H264SequenceParameterSet.TryParse(configuration.Sps, out var sps))
        {
            width = sps.Width;
            height = sps.Height;
        }
        _nalLengthSize = configuration.NalLengthSize;
        var config = new H264Config(configuration.Sps, configuration.Pps, record, width, height);
        output.SetVideoConfig(config);
        EncoderLog.ConfigChanged(logger, Stream, $"H.264 profile-level-id {config.ProfileLevelId}, {width}x{height}");
    }

    private void OnAccessUnit(ReadOnlySequence<byte> body, long presentationMs)
    {
        // Every NALU tag stands for one frame we fed, good or bad, so the FIFO stays aligned either way.
        var matched = pending.TryDequeue(out var source);
        var data = body.ToArray();
        if (!AvccNalReader.TryInspect(data, out var info, _nalLengthSize) || !(info.HasIdrSlice || info.HasNonIdrSlice))
        {
            Malformed($"access unit of {data.Length} bytes has bad NAL lengths or no slice");
            return;
        }

        long pts;
        long sourceTimestamp;
        if (matched)
        {
            pts = format.VideoPts90k(source.FrameIndex);
            sourceTimestamp = source.SourceTimestamp;
        }
        else
        {
            EncoderLog.UnmatchedVideoFrame(logger);
            pts = presentationMs * 90;
            sourceTimestamp = timeProvider.GetTimestamp();
        }

        output.Publish(new EncodedFrame(MediaKind.Video, pts, info.HasIdrSlice, data, sourceTimestamp));
        counters.VideoOut(info.HasIdrSlice);
        latency.Record(timeProvider.GetElapsedTime(sourceTimestamp));
    }

    private void Malformed(string reason)
    {
        counters.Malformed();
        EncoderLog.MalformedUnit(logger, Stream, reason);
    }
}
