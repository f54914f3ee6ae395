namespace LiveHost.Speech;

/// <summary>The speech engine cannot run on this machine: its library or its data is missing, or it failed to start.</summary>
public sealed class SpeechEngineUnavailableException : Exception
{
    public SpeechEngineUnavailableException(string message) : base(message) { }

    public SpeechEngineUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
