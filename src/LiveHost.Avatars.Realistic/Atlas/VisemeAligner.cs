using LiveHost.Speech;

namespace LiveHost.Avatars.Realistic.Atlas;

/// <summary>
/// Labels each recording frame with a viseme by dynamic time warping: the transcript's visemes (espeak-ng's phonemes
/// of the sentences read, one per frame at espeak's own pace) against the audio viseme model's per-frame
/// probabilities on the recording. The cost of pairing reference frame k with recording frame i is
/// <c>-log p_i(ref_k)</c>; steps are (1,1), (1,0) and (0,1), both sequences matched end to end (each is padded with
/// silence, so pauses of any length at either end cost little). The result follows the transcript's order, so a
/// frame the model alone gets wrong is still labelled from the sentence, while the timing comes from the audio.
/// Pure: no I/O; O(N·M) time, N·M bytes of back-pointers.
/// </summary>
public static class VisemeAligner
{
    public const int Classes = 15;
    private const float Floor = 1e-4f;

    /// <param name="reference">The transcript's visemes, one per frame at espeak's pace.</param>
    /// <param name="probabilities">The model's probabilities, <see cref="Classes"/> per recording frame, frame-major.</param>
    /// <returns>One viseme per recording frame.</returns>
    public static Viseme[] Align(ReadOnlySpan<Viseme> reference, ReadOnlySpan<float> probabilities)
    {
        if (probabilities.Length % Classes != 0) throw new ArgumentException($"probabilities must hold {Classes} values per frame", nameof(probabilities));
        var n = probabilities.Length / Classes;
        var m = reference.Length;
        if (n == 0) return [];
        if (m == 0) throw new ArgumentException("the transcript gave no visemes", nameof(reference));
        if ((long)n * m > 400_000_000) throw new InvalidOperationException($"aligning {n} recording frames with {m} transcript frames is too large; split the recording");

        // Back-pointers: 0 diagonal, 1 from (k-1, i) (reference advances), 2 from (k, i-1) (recording advances).
        var back = new byte[(long)n * m];
        var previous = new float[m];
        var current = new float[m];
        for (var i = 0; i < n; i++)
        {
            var p = probabilities.Slice(i * Classes, Classes);
            for (var k = 0; k < m; k++)
            {
                var cost = -MathF.Log(Math.Max(p[(int)reference[k]], Floor));
                float best;
                byte from;
                if (i == 0 && k == 0)
                {
                    best = 0;
                    from = 0;
                }
                else if (i == 0)
                {
                    best = current[k - 1];
                    from = 1;
                }
                else if (k == 0)
                {
                    best = previous[0];
                    from = 2;
                }
                else
                {
                    best = previous[k - 1];
                    from = 0;
                    if (current[k - 1] < best) (best, from) = (current[k - 1], 1);
                    if (previous[k] < best) (best, from) = (previous[k], 2);
                }
                current[k] = best + cost;
                back[(long)i * m + k] = from;
            }
            (previous, current) = (current, previous);
        }

        // Walk back; a recording frame paired with several reference frames takes the one it was paired with last
        // on the way back (the first in time), which is as good as any: they are consecutive and mostly alike.
        var labels = new Viseme[n];
        var (row, column) = (n - 1, m - 1);
        labels[row] = reference[column];
        while (row > 0 || column > 0)
        {
            switch (back[(long)row * m + column])
            {
                case 0:
                    row--;
                    column--;
                    break;
                case 1:
                    column--;
                    break;
                default:
                    row--;
                    break;
            }
            labels[row] = reference[column];
        }
        return labels;
    }

    /// <summary>The most likely viseme of each frame (the model alone, for comparison).</summary>
    public static Viseme[] ArgMax(ReadOnlySpan<float> probabilities)
    {
        var labels = new Viseme[probabilities.Length / Classes];
        for (var i = 0; i < labels.Length; i++)
        {
            var p = probabilities.Slice(i * Classes, Classes);
            var best = 0;
            for (var c = 1; c < Classes; c++) if (p[c] > p[best]) best = c;
            labels[i] = (Viseme)best;
        }
        return labels;
    }

    /// <summary>The reference stretched evenly over <paramref name="frames"/> frames (no audio used, for comparison).</summary>
    public static Viseme[] Stretch(ReadOnlySpan<Viseme> reference, int frames)
    {
        var labels = new Viseme[frames];
        for (var i = 0; i < frames; i++) labels[i] = reference[(int)Math.Min(reference.Length - 1, (long)i * reference.Length / frames)];
        return labels;
    }
}
