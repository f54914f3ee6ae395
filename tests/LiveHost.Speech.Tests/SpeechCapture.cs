using System.Diagnostics;
using LiveHost.Speech;

namespace LiveHost.Speech.Tests;

/// <summary>Everything a stream delivered, with when its first chunk and its end arrived.</summary>
internal sealed record SpeechCapture(
    short[] Samples,
    IReadOnlyList<PhonemeMark> Marks,
    int ChunkCount,
    TimeSpan FirstChunkAt,
    TimeSpan CompletedAt)
{
    public double DurationSeconds => Samples.Length / 48000.0;

    /// <summary>Phonemes other than pauses, in order.</summary>
    public IReadOnlyList<string> SpokenPhonemes => Marks.Where(m => !m.Phoneme.StartsWith('_')).Select(m => m.Phoneme).ToList();

    public static async Task<SpeechCapture> ReadAsync(SpeechStream stream, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        var samples = new List<short>();
        var marks = new List<PhonemeMark>();
        var chunks = 0;
        var first = TimeSpan.Zero;
        await foreach (var chunk in stream.Chunks.ReadAllAsync(cts.Token))
        {
            if (chunks == 0) first = clock.Elapsed;
            chunks++;
            samples.AddRange(chunk.Samples);
            marks.AddRange(chunk.Marks);
        }
        return new SpeechCapture([.. samples], marks, chunks, first, clock.Elapsed);
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty) return 0;
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }
}
