using System.Globalization;

namespace LiveHost.Perf.AvSync;

/// <summary>
/// The WebAudio tap's output clock, sampled every 10 s: its context's <c>outputLatency</c> and <c>baseLatency</c>, and
/// how far <c>getOutputTimestamp()</c> trails <c>performance.now()</c>. The tap turns onsets into page time through that
/// timestamp; a run whose mapping sits elsewhere shifts every tap offset by the difference.
/// </summary>
public sealed class TapOutputSamples
{
    public List<double> OutputLatencyMs { get; } = [];
    public List<double> BaseLatencyMs { get; } = [];
    public List<double> OutputLagMs { get; } = [];

    /// <summary>Chromium's estimate of the element's output device delay since the previous sample (media-playout stats), ms.</summary>
    public List<double> PlayoutDelayMs { get; } = [];

    public string Last { get; private set; } = "tap output: none yet";

    public void Add(double? outputLatency, double? baseLatency, double? outputLag, double? playoutDelay)
    {
        if (playoutDelay is { } p) PlayoutDelayMs.Add(p);
        if (outputLatency is { } o) OutputLatencyMs.Add(o);
        if (baseLatency is { } b) BaseLatencyMs.Add(b);
        if (outputLag is { } l) OutputLagMs.Add(l);
        Last = string.Create(CultureInfo.InvariantCulture, $"tap output latency {outputLatency:0.0} base {baseLatency:0.0} lag {outputLag:0.0} ms, element's playout delay {playoutDelay:0.0} ms");
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"outputLatency p50 {SampleText.Median(OutputLatencyMs)}, baseLatency p50 {SampleText.Median(BaseLatencyMs)}, output timestamp behind now p50 {SampleText.Median(OutputLagMs)} (range {SampleText.Range(OutputLagMs)}) ms; the element's output device delay (media-playout stats) p50 {SampleText.Median(PlayoutDelayMs)} (range {SampleText.Range(PlayoutDelayMs)}) ms");
}
