using Microsoft.Extensions.Logging;

namespace LiveHost.Speech;

internal static partial class EspeakSynthesizerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "espeak-ng ready: {SampleRate} Hz, data {DataPath}, rate {Rate} wpm")]
    public static partial void Ready(ILogger logger, int sampleRate, string dataPath, int rate);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "espeak-ng was already initialized with data path {ActualPath}; the configured {ConfiguredPath} is ignored")]
    public static partial void DataPathIgnored(ILogger logger, string actualPath, string configuredPath);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Synthesis of a {Language} line with voice {Voice} failed")]
    public static partial void LineFailed(ILogger logger, Exception exception, string language, string voice);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Line with voice {Voice}: {Samples} samples at 48 kHz, {Outcome}")]
    public static partial void LineDone(ILogger logger, string voice, long samples, string outcome);
}
