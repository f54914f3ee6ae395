using LiveHost.TestSupport.AvSync;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// The correction AvSyncWatchPageTests makes: the viewer's reported audio buffering beyond the nominal explains a lag,
/// and nothing else (a wrong lead or a drift stays in the corrected offsets).
/// </summary>
public sealed class ViewerBufferCorrectionTests
{
    private const double PeriodMs = 2000;
    private const double Nominal = ViewerBufferCorrection.NominalBufferMs;

    /// <summary>Ten markers 2 s apart: frame shown at 1000 + 2000 i; the tone heard offset(i) later; the buffer buffer(i) then.</summary>
    private static AvSyncSummary Corrected(Func<int, double> lagMs, Func<int, double> bufferMs)
    {
        var frames = Enumerable.Range(0, 10).Select(i => new MarkerFrame(50 * i, 1000 + (PeriodMs * i))).ToList();
        var onsets = Enumerable.Range(0, 10).Select(i => 1000 + (PeriodMs * i) + lagMs(i)).ToList();
        // One sample of 250 ms around each onset.
        var samples = onsets.Select((t, i) => new AudioBufferSample(t - 125, t + 125, bufferMs(i))).ToList();
        return AvSyncSummary.Of(frames, ViewerBufferCorrection.Of(onsets, samples).Select(c => c.CorrectedMs), PeriodMs);
    }

    [Fact]
    public void A_lag_that_the_viewers_growing_buffer_explains_is_taken_out()
    {
        // The buffer grows from the nominal by 540 ms; the sound trails by the growth.
        var summary = Corrected(i => 60 * i, i => Nominal + (60 * i));
        Assert.Equal(10, summary.Pairs);
        Assert.All(summary.Offsets, o => Assert.Equal(0, o.AudioLeadMs, 6));
    }

    [Fact]
    public void A_sound_300_ms_early_stays_300_ms_early_whatever_the_buffer()
    {
        var summary = Corrected(i => -300 + (30 * i), i => Nominal + (30 * i));
        Assert.Equal(300, summary.P50Ms, 6);
    }

    [Fact]
    public void A_drift_with_a_steady_buffer_stays_a_drift()
    {
        var summary = Corrected(i => 40 * i, _ => Nominal);
        Assert.Equal(-40 * 60 / 2.0, summary.SlopeMsPerMinute, 3);
        Assert.Equal(-360, summary.MinMs, 6);
    }

    [Fact]
    public void An_onset_heard_while_the_page_was_starved_of_samples_is_left_out()
    {
        var onsets = new[] { 1000.0, 3000.0 };
        var samples = new[] { new AudioBufferSample(800, 1100, 90), new AudioBufferSample(1100, 3100, 500) };
        var corrected = ViewerBufferCorrection.Of(onsets, samples);
        Assert.Equal([new BufferCorrectedOnset(1000, 90)], corrected);
        Assert.Equal(1000 - (90 - Nominal), corrected[0].CorrectedMs, 6);
    }
}
