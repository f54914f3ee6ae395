using System.Globalization;
using System.Text.Json;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.AvSync;

/// <summary>
/// Chromium's own view of the A/V offset and its jitter buffers, sampled from the watch page's
/// <c>window.livehost.stats().latency</c> during an <c>av-sync</c> run: the reference the WebAudio tap's figures are
/// compared with (the tap adds buffering of its own that the element's audio output may not have).
/// </summary>
public sealed class ChromiumSyncSamples
{
    /// <summary>Video's minus audio's estimatedPlayoutTimestamp, ms (&gt; 0: the sound plays older media than the picture).</summary>
    public List<double> AudioBehindVideoMs { get; } = [];

    /// <summary>The audio jitter buffer since the previous sample, ms.</summary>
    public List<double> AudioJitterBufferRecentMs { get; } = [];

    /// <summary>The audio jitter buffer's target (lifetime average), ms.</summary>
    public List<double> AudioJitterBufferTargetMs { get; } = [];

    /// <summary>The video jitter buffer since the previous sample, ms.</summary>
    public List<double> VideoJitterBufferRecentMs { get; } = [];

    public string Last { get; private set; } = "none yet";

    public void Add(JsonElement latency)
    {
        if (latency.ValueKind != JsonValueKind.Object) return;
        Take(latency, "audioBehindVideoMs", AudioBehindVideoMs);
        Take(latency, "audioJitterBufferRecentMs", AudioJitterBufferRecentMs);
        Take(latency, "audioJitterBufferTargetMs", AudioJitterBufferTargetMs);
        Take(latency, "videoJitterBufferRecentMs", VideoJitterBufferRecentMs);
        Last = string.Create(CultureInfo.InvariantCulture,
            $"audio behind video {LastOf(AudioBehindVideoMs)} ms, audio jitter buffer {LastOf(AudioJitterBufferRecentMs)} ms");
    }

    /// <summary>Medians over the run (n samples).</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"audio behind video p50 {Median(AudioBehindVideoMs)} (n {AudioBehindVideoMs.Count}, range {Range(AudioBehindVideoMs)}), audio jitter buffer p50 {Median(AudioJitterBufferRecentMs)} (target {Median(AudioJitterBufferTargetMs)}), video jitter buffer p50 {Median(VideoJitterBufferRecentMs)}");

    private static void Take(JsonElement latency, string name, List<double> into)
    {
        if (latency.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number) into.Add(value.GetDouble());
    }

    private static string LastOf(List<double> values) => values.Count == 0 ? "-" : values[^1].ToString("0.0", CultureInfo.InvariantCulture);

    private static string Median(List<double> values) => values.Count == 0 ? "-" : Distribution.Of(values).P50.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Range(List<double> values) => values.Count == 0 ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{values.Min():0.0}..{values.Max():0.0}");
}
