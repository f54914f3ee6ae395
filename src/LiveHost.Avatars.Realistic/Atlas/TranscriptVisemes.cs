using LiveHost.Speech;

namespace LiveHost.Avatars.Realistic.Atlas;

/// <summary>
/// The transcript as espeak-ng would say it: each line (one sentence) synthesized, its phoneme marks turned into
/// visemes, and sampled once per video frame (at the frame's middle) at espeak's own pace, with
/// <see cref="PauseSeconds"/> of silence before, between and after the lines. The result is the reference
/// <see cref="VisemeAligner"/> warps onto the recording.
/// </summary>
public sealed class TranscriptVisemes(ISpeechSynthesizer speech)
{
    public const double PauseSeconds = 0.4;

    /// <summary>One viseme per frame at <paramref name="fps"/>; empty lines are skipped.</summary>
    public async Task<Viseme[]> ReferenceAsync(IEnumerable<string> lines, string language, double fps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var frames = new List<Viseme>();
        var pause = (int)Math.Round(PauseSeconds * fps);
        frames.AddRange(Enumerable.Repeat(Viseme.Silence, pause));
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var (samples, marks) = await SynthesizeAsync(line.Trim(), language, cancellationToken);
            var count = (int)Math.Ceiling(samples * fps / EspeakSynthesizer.OutputSampleRate);
            var next = 0;
            var viseme = Viseme.Silence;
            for (var i = 0; i < count; i++)
            {
                var middle = (long)((i + 0.5) / fps * EspeakSynthesizer.OutputSampleRate);
                while (next < marks.Count && marks[next].SampleOffset <= middle) viseme = marks[next++].Viseme;
                frames.Add(viseme);
            }
            frames.AddRange(Enumerable.Repeat(Viseme.Silence, pause));
        }
        return [.. frames];
    }

    private async Task<(long Samples, List<PhonemeMark> Marks)> SynthesizeAsync(string text, string language, CancellationToken cancellationToken)
    {
        using var stream = speech.Start(new SpeechRequest(text, language, null));
        long samples = 0;
        var marks = new List<PhonemeMark>();
        await foreach (var chunk in stream.Chunks.ReadAllAsync(cancellationToken))
        {
            samples += chunk.Samples.Length;
            marks.AddRange(chunk.Marks);
        }
        marks.Sort((a, b) => a.SampleOffset.CompareTo(b.SampleOffset));
        return (samples, marks);
    }
}
