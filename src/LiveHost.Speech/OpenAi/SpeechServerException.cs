namespace LiveHost.Speech.OpenAi;

/// <summary>A speech server did not give a line's audio: what went wrong, and whether audio had already been delivered.</summary>
public sealed class SpeechServerException(string message, bool afterAudio, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Part of the line's audio had been delivered before the failure (nothing can be redone cleanly).</summary>
    public bool AfterAudio { get; } = afterAudio;
}
