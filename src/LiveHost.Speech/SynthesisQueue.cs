using System.Collections.Concurrent;

namespace LiveHost.Speech;

/// <summary>The loop of a synthesizer's own thread: lines in the order they were queued, skipping the cancelled ones.</summary>
internal static class SynthesisQueue
{
    /// <summary>
    /// Runs until <paramref name="queue"/> completes: a line queued after shut-down fails with
    /// <see cref="ObjectDisposedException"/>, a cancelled one completes empty, every other is handed to <paramref name="synthesize"/>.
    /// </summary>
    public static void Serve(BlockingCollection<SpeechStream> queue, Func<bool> disposed, string owner, Action<SpeechStream> synthesize)
    {
        foreach (var stream in queue.GetConsumingEnumerable())
        {
            if (disposed())
            {
                stream.Writer.TryComplete(new ObjectDisposedException(owner, "The synthesizer shut down before this line was spoken."));
                continue;
            }
            if (stream.IsCancelled)
            {
                stream.Writer.TryComplete();
                continue;
            }
            synthesize(stream);
        }
    }
}
