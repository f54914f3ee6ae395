namespace LiveHost.Speech;

/// <param name="Language">"en" or "zh".</param>
/// <param name="Voice">A voice id from <see cref="ISpeechSynthesizer.Voices"/>, or null for the language's default.</param>
public sealed record SpeechRequest(string Text, string Language, string? Voice);
