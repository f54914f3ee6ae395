using System.Buffers.Binary;
using System.Threading.Channels;
using FFMpegCore.Pipes;
using LiveHost.Encoding.Ffmpeg;

namespace LiveHost.Encoding.Audio;

/// <summary>Feeds one audio ffmpeg run the room's mono 16-bit samples as s16le, through one reused byte buffer.</summary>
/// <param name="connected">Called when ffmpeg has opened its input, i.e. the process is up and reading.</param>
internal sealed class PcmAudioPipeSource(ChannelReader<AudioChunk> chunks, AudioTimeline timeline, Action connected) : IPipeSource
{
    private byte[] _bytes = new byte[4096];

    public string GetStreamArguments() => FfmpegCommandLine.PcmAudioInput();

    public async Task WriteAsync(Stream outputStream, CancellationToken cancellationToken)
    {
        connected();
        await foreach (var chunk in chunks.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            // Silence that completes the AAC frame begun before a gap (ticks the engine skipped), then the samples.
            var silence = timeline.Fed(chunk) * sizeof(short);
            var length = silence + chunk.Samples.Length * sizeof(short);
            if (_bytes.Length < length) _bytes = new byte[length];
            _bytes.AsSpan(0, silence).Clear();
            for (var i = 0; i < chunk.Samples.Length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(_bytes.AsSpan(silence + i * sizeof(short)), chunk.Samples[i]);
            }
            await outputStream.WriteAsync(_bytes.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await outputStream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
