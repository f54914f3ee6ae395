namespace LiveHost.TestSupport.AvSync;

/// <summary>The audio jitter buffer Chromium reported over (<see cref="FromMs"/>, <see cref="ToMs"/>], on the page's clock.</summary>
public readonly record struct AudioBufferSample(double FromMs, double ToMs, double BufferMs);

/// <summary>A marker's offset, the audio buffering the viewer reported while its tone played, and the offset without the excess.</summary>
public readonly record struct BufferCorrectedOffset(AvOffset Marker, double BufferMs, double CorrectedMs);

/// <summary>
/// Takes the viewer's own audio buffering out of the A/V offsets (issue 17). With playout delay 0/0 Chromium shows a
/// frame at once and plays the sound after its audio jitter buffer, so the offset a viewer sees is about the server's
/// audio lead minus that buffer. The lead is sized to the buffer an idle viewer keeps (<see cref="NominalBufferMs"/>);
/// when the viewer's machine (or a stall of the process feeding it) grows the buffer, the sound trails by the growth,
/// which the browser itself reports (<c>jitterBufferDelay</c> per emitted sample). The corrected offset is the offset
/// plus the buffer beyond the nominal one: what remains is the sync the server sent, which a wrong lead or a timeline
/// drifting apart still moves. The correction is the browser's measured figure, never a fitted one.
/// </summary>
public static class ViewerBufferCorrection
{
    /// <summary>
    /// The audio buffer the default <c>Engine:AudioLeadMilliseconds</c> (80) is sized to: Chromium held 59 ms (p50) on a
    /// near-idle machine with that lead, and the lead is whole 40 ms ticks.
    /// </summary>
    public const double NominalBufferMs = 80;

    /// <summary>Samples longer than this (the page was starved of CPU) say too little about one moment to correct by.</summary>
    public const double LongestSampleMs = 1500;

    /// <summary>
    /// Each marker whose tone played within a sample of at most <see cref="LongestSampleMs"/>, corrected by that
    /// sample's buffer; markers without one are left out (count them against the pairs a test needs).
    /// </summary>
    public static IReadOnlyList<BufferCorrectedOffset> Of(IEnumerable<AvOffset> offsets, IReadOnlyList<AudioBufferSample> samples)
    {
        var corrected = new List<BufferCorrectedOffset>();
        foreach (var offset in offsets)
        {
            var sample = samples.FirstOrDefault(s => s.FromMs < offset.AudioMs && offset.AudioMs <= s.ToMs && s.ToMs - s.FromMs <= LongestSampleMs);
            if (sample.ToMs <= 0) continue;
            corrected.Add(new BufferCorrectedOffset(offset, sample.BufferMs, offset.AudioLeadMs + (sample.BufferMs - NominalBufferMs)));
        }
        return corrected;
    }

    /// <summary>The median of the corrected offsets (ms; NaN for none).</summary>
    public static double Median(IReadOnlyList<BufferCorrectedOffset> corrected)
    {
        if (corrected.Count == 0) return double.NaN;
        var sorted = corrected.Select(c => c.CorrectedMs).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
