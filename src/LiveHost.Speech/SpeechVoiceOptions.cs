namespace LiveHost.Speech;

/// <summary>
/// A voice served by a speech server, configuration section <c>Speech:Voices:{name}</c> (the name is the voice id
/// clients send). Only <see cref="Provider"/> <c>openai</c> exists: <c>POST {BaseUrl}/audio/speech</c> with
/// <c>response_format=pcm</c>, which Kokoro-FastAPI, LocalAI, openedai-speech and OpenAI itself answer.
/// </summary>
public sealed class SpeechVoiceOptions
{
    public const string OpenAi = "openai";
    public const string FallbackOnFailure = "Fallback";
    public const string FailOnFailure = "Fail";

    /// <summary>"openai" (the only one).</summary>
    public string Provider { get; set; } = "";

    /// <summary>The API root, e.g. <c>http://gpu-box:8880/v1</c>; <c>/audio/speech</c> is appended. Required.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The request's <c>model</c>, e.g. <c>kokoro</c> or <c>tts-1</c>.</summary>
    public string Model { get; set; } = "tts-1";

    /// <summary>The request's <c>voice</c>, the server's name for it (e.g. <c>af_heart</c>, <c>alloy</c>).</summary>
    public string Voice { get; set; } = "alloy";

    /// <summary>Sent as <c>Authorization: Bearer</c> when set. Never logged. Empty: <see cref="ApiKeyVariable"/>, if set, is read at start.</summary>
    public string? ApiKey { get; set; }

    /// <summary>An environment variable that holds the key (when <see cref="ApiKey"/> is empty).</summary>
    public string? ApiKeyVariable { get; set; }

    /// <summary>"en" or "zh": which lines may ask for this voice.</summary>
    public string Language { get; set; } = "en";

    /// <summary>The sample rate of the server's raw PCM (16-bit little-endian mono); OpenAI and Kokoro send 24000.</summary>
    public int SampleRate { get; set; } = 24000;

    /// <summary>From sending the request to the first byte of audio, per attempt.</summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The whole line, both attempts included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// "Fallback": a line the server cannot speak (before its first audio) is spoken by <see cref="FallbackVoice"/>;
    /// "Fail": it finishes failed.
    /// </summary>
    public string OnFailure { get; set; } = FallbackOnFailure;

    /// <summary>The local voice (espeak or Flite) to fall back to; empty: the language's local default.</summary>
    public string? FallbackVoice { get; set; }

    /// <summary>Consecutive failed lines after which the server's circuit opens (lines fail fast, or fall back, at once).</summary>
    public int BreakAfterFailures { get; set; } = 3;

    /// <summary>How long the circuit stays open before one line tries the server again.</summary>
    public TimeSpan BreakFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem, each naming the setting (<c>Speech:Voices:{name}:...</c>).</summary>
    public IEnumerable<string> Validate(string name, IReadOnlyCollection<string> languages)
    {
        var at = $"{SpeechOptions.SectionName}:Voices:{name}";
        if (!string.Equals(Provider, OpenAi, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{at}:Provider '{Provider}' is not a known speech provider; use '{OpenAi}'.";
            yield break;
        }
        if (string.IsNullOrWhiteSpace(BaseUrl)) yield return $"{at}:BaseUrl is required (the API root, e.g. http://127.0.0.1:8880/v1).";
        else if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            yield return $"{at}:BaseUrl '{BaseUrl}' is not an absolute http or https address.";
        if (string.IsNullOrWhiteSpace(Model)) yield return $"{at}:Model is required.";
        if (string.IsNullOrWhiteSpace(Voice)) yield return $"{at}:Voice is required.";
        if (!languages.Contains(Language, StringComparer.OrdinalIgnoreCase)) yield return $"{at}:Language '{Language}' is not one of {string.Join(", ", languages)}.";
        if (SampleRate is < 8000 or > 48000) yield return $"{at}:SampleRate must be 8000 to 48000 (was {SampleRate}).";
        if (FirstByteTimeout <= TimeSpan.Zero) yield return $"{at}:FirstByteTimeout must be positive.";
        if (Timeout < FirstByteTimeout) yield return $"{at}:Timeout must be at least FirstByteTimeout.";
        if (!string.Equals(OnFailure, FallbackOnFailure, StringComparison.OrdinalIgnoreCase) && !string.Equals(OnFailure, FailOnFailure, StringComparison.OrdinalIgnoreCase))
            yield return $"{at}:OnFailure '{OnFailure}' must be '{FallbackOnFailure}' or '{FailOnFailure}'.";
        if (BreakAfterFailures < 1) yield return $"{at}:BreakAfterFailures must be at least 1.";
        if (BreakFor <= TimeSpan.Zero) yield return $"{at}:BreakFor must be positive.";
        if (string.IsNullOrEmpty(ApiKey) && !string.IsNullOrEmpty(ApiKeyVariable) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)))
            yield return $"{at}:ApiKeyVariable names the environment variable '{ApiKeyVariable}', which is not set.";
    }

    public bool FallsBack => string.Equals(OnFailure, FallbackOnFailure, StringComparison.OrdinalIgnoreCase);

    /// <summary>The key to send: <see cref="ApiKey"/>, or the variable <see cref="ApiKeyVariable"/> names; null for none.</summary>
    public string? ResolveApiKey() =>
        !string.IsNullOrEmpty(ApiKey) ? ApiKey
        : !string.IsNullOrEmpty(ApiKeyVariable) ? Environment.GetEnvironmentVariable(ApiKeyVariable)
        : null;
}
