using System.Runtime.InteropServices;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using LiveHost.Media;
using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// Plays an audio line's stored clip through the same path as synthesized speech: a <see cref="SpeechStream"/> of
/// 100 ms chunks with no phoneme marks. The first two seconds are read at once, on the caller (the room's tick:
/// a 192 KB read), so the clip starts on this very tick and tests that drive the clock see every sample; the rest
/// is read on the thread pool, which stays seconds ahead of the real-time clock.
/// </summary>
public static class AudioClipStream
{
    public const int ChunkSamples = MediaFormat.AudioSampleRate / 10;
    public const int PrefetchSamples = 2 * MediaFormat.AudioSampleRate;

    public static SpeechStream Start(ILineStore store, Line line)
    {
        var stream = new SpeechStream(new SpeechRequest(line.Text, line.Language, null), new VoiceInfo("recorded", line.Language, "recorded audio", false));
        Stream file;
        try
        {
            file = store.OpenClip(line.Id);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream.Writer.TryComplete(ex);
            return stream;
        }

        // Captured now: the stream disposes its token source when the line ends.
        var token = stream.CancellationToken;
        if (!Pump(file, stream, PrefetchSamples, token))
        {
            file.Dispose();
            return stream;
        }
        _ = Task.Run(() =>
        {
            using (file) Pump(file, stream, long.MaxValue, token);
        });
        return stream;
    }

    /// <summary>Moves up to <paramref name="limit"/> samples into the stream; false when the clip ended (or failed, or was cancelled).</summary>
    private static bool Pump(Stream file, SpeechStream stream, long limit, CancellationToken token)
    {
        try
        {
            var bytes = new byte[ChunkSamples * sizeof(short)];
            for (long moved = 0; moved < limit;)
            {
                if (token.IsCancellationRequested) return false;
                var filled = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) / sizeof(short) * sizeof(short);
                if (filled > 0)
                {
                    var samples = MemoryMarshal.Cast<byte, short>(bytes.AsSpan(0, filled)).ToArray();
                    if (!stream.Writer.TryWrite(new SpeechChunk(samples, []))) return false;
                    moved += samples.Length;
                }
                if (filled < bytes.Length)
                {
                    stream.Writer.TryComplete();
                    return false;
                }
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            stream.Writer.TryComplete(ex);
            return false;
        }
    }
}
