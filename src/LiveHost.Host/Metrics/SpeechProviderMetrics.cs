using LiveHost.ControlPlane;
using LiveHost.Speech;
using Prometheus;

namespace LiveHost.Host.Metrics;

/// <summary>
/// <c>livehost_speech_provider_failures_total{voice, outcome}</c>: lines a speech server's voice could not speak,
/// by what became of them ("fallback": a local voice spoke them; "failed": they finished failed). On the registry
/// <see cref="LiveHostMetrics"/> serves, every configured server voice's series present (at 0) from the start (with
/// none configured, one with an empty voice label).
/// </summary>
public sealed class SpeechProviderMetrics
{
    private readonly Counter _failures;

    public SpeechProviderMetrics(LiveHostMetrics metrics, SpeechVoices voices, SpeechOptions options)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(voices);
        ArgumentNullException.ThrowIfNull(options);
        _failures = Prometheus.Metrics.WithCustomRegistry(metrics.Registry).CreateCounter("livehost_speech_provider_failures_total",
            "Lines a speech server's voice could not speak, by outcome (fallback: a local voice spoke them; failed).", ["voice", "outcome"]);
        // With no server voice configured the family still has its (empty-voice) series, so dashboards find it.
        foreach (var voice in options.Voices.Count == 0 ? [""] : options.Voices.Keys.ToArray())
        {
            _failures.WithLabels(voice, "fallback");
            _failures.WithLabels(voice, "failed");
        }
        voices.ProviderFailure += (voice, outcome) => _failures.WithLabels(voice, outcome).Inc();
    }
}
