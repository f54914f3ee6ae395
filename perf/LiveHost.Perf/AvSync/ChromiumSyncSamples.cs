using System.Globalization;
using System.Text.Json;

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
            $"audio behind video {SampleText.Last(AudioBehindVideoMs)} ms, audio jitter buffer {SampleText.Last(AudioJitterBufferRecentMs)} ms");
    }

    /// <summary>Medians over the run (n samples).</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"audio behind video p50 {SampleText.Median(AudioBehindVideoMs)} (n {AudioBehindVideoMs.Count}, range {SampleText.Range(AudioBehindVideoMs)}), audio jitter buffer p50 {SampleText.Median(AudioJitterBufferRecentMs)} (target {SampleText.Median(AudioJitterBufferTargetMs)}), video jitter buffer p50 {SampleText.Median(VideoJitterBufferRecentMs)}");

    private static void Take(JsonElement latency, string name, List<double> into)
    {
        if (latency.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number) into.Add(value.GetDouble());
    }
}
