using Microsoft.Extensions.Logging;

namespace LiveHost.Speech.Flite;

internal static partial class FliteSynthesizerLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Flite ready: voices {Voices}")]
    public static partial void Ready(ILogger logger, string voices);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Synthesis of a line with Flite voice {Voice} failed")]
    public static partial void LineFailed(ILogger logger, Exception exception, string voice);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Line with Flite voice {Voice}: {Samples} samples at 48 kHz, {Outcome}")]
    public static partial void LineDone(ILogger logger, string voice, long samples, string outcome);
}
