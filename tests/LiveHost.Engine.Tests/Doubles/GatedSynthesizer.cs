using System.Collections.Concurrent;
using LiveHost.Speech;

namespace LiveHost.Engine.Tests.Doubles;

/// <summary>
/// A synthesizer whose lines give no audio until the test releases them (a slow voice, made causal): Start only
/// records the stream; <see cref="Release"/> writes the line's tone (lineMilliseconds long) and completes it.
/// </summary>
public sealed class GatedSynthesizer(int lineMilliseconds = 400) : ISpeechSynthesizer
{
    private readonly ConcurrentDictionary<string, SpeechStream> _started = new();

    public IReadOnlyList<VoiceInfo> Voices { get; } = [new("gated-en", "en", "gated", true)];

    /// <summary>The texts of the lines started so far, in order.</summary>
    public ConcurrentQueue<string> StartedTexts { get; } = new();

    public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice)
    {
        voice = Voices.FirstOrDefault(v => v.Language == language && (voiceId is null || v.Id == voiceId))!;
        return voice is not null;
    }

    public SpeechStream Start(SpeechRequest request)
    {
        TryResolveVoice(request.Language, request.Voice, out var voice);
        var stream = new SpeechStream(request, voice);
        _started[request.Text] = stream;
        StartedTexts.Enqueue(request.Text);
        return stream;
    }

    /// <summary>The stream most recently started for <paramref name="text"/>.</summary>
    public SpeechStream StreamOf(string text) => _started[text];

    public void Release(string text)
    {
        var stream = _started[text];
        var samples = new short[48 * lineMilliseconds];
        for (var i = 0; i < samples.Length; i++) samples[i] = (short)(ToneSynthesizer.Amplitude * Math.Sin(2 * Math.PI * 440 * i / 48000.0));
        stream.Writer.TryWrite(new SpeechChunk(samples, [new PhonemeMark(0, "a", Viseme.AA)]));
        stream.Writer.TryComplete();
    }
}
