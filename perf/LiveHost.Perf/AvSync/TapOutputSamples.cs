using System.Globalization;
using LiveHost.Perf.Measurement;

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
        $"outputLatency p50 {P50(OutputLatencyMs)}, baseLatency p50 {P50(BaseLatencyMs)}, output timestamp behind now p50 {P50(OutputLagMs)} (range {Range(OutputLagMs)}) ms; the element's output device delay (media-playout stats) p50 {P50(PlayoutDelayMs)} (range {Range(PlayoutDelayMs)}) ms");

    private static string P50(List<double> v) => v.Count == 0 ? "-" : Distribution.Of(v).P50.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Range(List<double> v) => v.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{v.Min():0.0}..{v.Max():0.0}");
}
