using System.Runtime.InteropServices;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using LiveHost.Media;
using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// Plays an audio line's stored clip through the same path as synthesized speech: a <see cref="SpeechStream"/> of
/// 100 ms chunks with no phoneme marks. The file is opened and read on the given scheduler (the thread pool in the
/// host), never on the room's tick: like a synthesized line, the clip's first samples land on the first tick after
/// they were read, and a slow disk delays that line's start instead of the room's clock.
/// </summary>
public static class AudioClipStream
{
    public const int ChunkSamples = MediaFormat.AudioSampleRate / 10;

    public static SpeechStream Start(ILineStore store, Line line, TaskScheduler readers)
    {
        var stream = new SpeechStream(new SpeechRequest(line.Text, line.Language, null), new VoiceInfo("recorded", line.Language, "recorded audio", false));
        // Captured now: the stream disposes its token source when the line ends.
        var token = stream.CancellationToken;
        _ = Task.Factory.StartNew(() => Read(store, line.Id, stream, token), CancellationToken.None, TaskCreationOptions.DenyChildAttach, readers);
        return stream;
    }

    private static void Read(ILineStore store, string id, SpeechStream stream, CancellationToken token)
    {
        Stream file;
        try
        {
            file = store.OpenClip(id);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream.Writer.TryComplete(ex);
            return;
        }
        using (file) Pump(file, stream, token);
    }

    /// <summary>Moves the whole clip into the stream, then completes it (or fails it, or stops when cancelled).</summary>
    private static void Pump(Stream file, SpeechStream stream, CancellationToken token)
    {
        try
        {
            var bytes = new byte[ChunkSamples * sizeof(short)];
            while (!token.IsCancellationRequested)
            {
                var filled = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) / sizeof(short) * sizeof(short);
                if (filled > 0)
                {
                    var samples = MemoryMarshal.Cast<byte, short>(bytes.AsSpan(0, filled)).ToArray();
                    if (!stream.Writer.TryWrite(new SpeechChunk(samples, []))) return;
                }
                if (filled < bytes.Length)
                {
                    stream.Writer.TryComplete();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            stream.Writer.TryComplete(ex);
        }
    }
}
