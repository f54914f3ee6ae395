using System.Collections.Concurrent;
using LiveHost.Speech;

namespace LiveHost.Engine.Tests.Doubles;

/// <summary>A <see cref="ToneSynthesizer"/> safe to call from several threads that counts how often each text was started.</summary>
public sealed class CountingSynthesizer(int lineMilliseconds = 1000) : ISpeechSynthesizer
{
    private readonly ToneSynthesizer _inner = new(lineMilliseconds);
    private readonly Lock _gate = new();

    public ConcurrentDictionary<string, int> Starts { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<VoiceInfo> Voices => _inner.Voices;

    public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice) => _inner.TryResolveVoice(language, voiceId, out voice);

    public SpeechStream Start(SpeechRequest request)
    {
        Starts.AddOrUpdate(request.Text, 1, (_, n) => n + 1);
        lock (_gate) return _inner.Start(request);
    }
}
