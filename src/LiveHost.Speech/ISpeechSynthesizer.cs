namespace LiveHost.Speech;

/// <summary>Text to speech for every room of the process. Implementations are thread-safe.</summary>
public interface ISpeechSynthesizer
{
    IReadOnlyList<VoiceInfo> Voices { get; }

    /// <summary>Finds the voice for a language ("en", "zh") and an optional voice id; false when either is unknown.</summary>
    bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice);

    /// <summary>
    /// Starts synthesizing a line and returns at once. Chunks arrive on <see cref="SpeechStream.Chunks"/> while
    /// synthesis runs, so the first audio is ready long before the whole line is.
    /// </summary>
    SpeechStream Start(SpeechRequest request);
}
