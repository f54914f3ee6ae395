namespace LiveHost.Speech;

/// <param name="Id">What clients send as <c>voice</c>.</param>
/// <param name="Language">"en" or "zh".</param>
/// <param name="EngineVoice">The synthesizer's own voice name (for espeak-ng, e.g. <c>cmn-latn-pinyin</c>).</param>
public sealed record VoiceInfo(string Id, string Language, string EngineVoice, bool IsDefault)
{
    /// <summary>
    /// False for a voice whose chunks carry no phoneme marks (an HTTP speech server): its mouth shapes are estimated
    /// from the audio by the viseme model instead.
    /// </summary>
    public bool HasPhonemeTimings { get; init; } = true;
}
