namespace LiveHost.TestSupport.AvSync;

/// <summary>The audio jitter buffer Chromium reported over (<see cref="FromMs"/>, <see cref="ToMs"/>], on the page's clock.</summary>
public readonly record struct AudioBufferSample(double FromMs, double ToMs, double BufferMs);

/// <summary>A tone onset heard at <see cref="HeardMs"/>, the audio buffering the viewer reported then, and when it would have been heard with the nominal buffer.</summary>
public readonly record struct BufferCorrectedOnset(double HeardMs, double BufferMs)
{
    public double CorrectedMs => HeardMs - (BufferMs - ViewerBufferCorrection.NominalBufferMs);
}

/// <summary>
/// Takes the viewer's own audio buffering out of the tone onsets (issue 17). With playout delay 0/0 Chromium shows a
/// frame at once and plays the sound after its audio jitter buffer, so the offset a viewer sees is about the server's
/// audio lead minus that buffer. The lead is sized to the buffer an idle viewer keeps (<see cref="NominalBufferMs"/>);
/// when the viewer's machine (or a stall of the process feeding it) grows the buffer, the sound trails by the growth,
/// which the browser itself reports (<c>jitterBufferDelay</c> per emitted sample, sampled every 250 ms). Each onset is
/// moved earlier by the buffer beyond the nominal one: the offsets that remain are the sync the server sent, which a
/// wrong lead or timelines drifting apart still move. The correction is the browser's measured figure, never a fitted one.
/// </summary>
public static class ViewerBufferCorrection
{
    /// <summary>
    /// The audio buffer the default <c>Engine:AudioLeadMilliseconds</c> (40) is sized to: Chromium held 30-39 ms (p50 of
    /// each of five idle one-minute runs, 2026-12-05) with that lead, and the lead is whole 40 ms ticks.
    /// </summary>
    public const double NominalBufferMs = 40;

    /// <summary>Samples longer than this (the page was starved of CPU) say too little about one moment to correct by.</summary>
    public const double LongestSampleMs = 1500;

    /// <summary>
    /// Each onset heard within a sample of at most <see cref="LongestSampleMs"/>, with that sample's buffer; onsets
    /// without one are left out (they count against the pairs a test needs).
    /// </summary>
    public static IReadOnlyList<BufferCorrectedOnset> Of(IEnumerable<double> onsetsMs, IReadOnlyList<AudioBufferSample> samples)
    {
        var corrected = new List<BufferCorrectedOnset>();
        foreach (var onset in onsetsMs)
        {
            var sample = samples.FirstOrDefault(s => s.FromMs < onset && onset <= s.ToMs && s.ToMs - s.FromMs <= LongestSampleMs);
            if (sample.ToMs > 0) corrected.Add(new BufferCorrectedOnset(onset, sample.BufferMs));
        }
        return corrected;
    }
}
