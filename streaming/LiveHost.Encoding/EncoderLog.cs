using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding;

internal static partial class EncoderLog
{
    [LoggerMessage(1, LogLevel.Information, "Room encoder started: {Width}x{Height} @ {Fps} fps, video by {VideoEncoder}, ffmpeg in {Folder}")]
    public static partial void Started(ILogger logger, int width, int height, int fps, VideoEncoderKind videoEncoder, string folder);

    [LoggerMessage(2, LogLevel.Debug, "ffmpeg {Stream} starting: {Arguments}")]
    public static partial void ProcessStarting(ILogger logger, string stream, string arguments);

    [LoggerMessage(3, LogLevel.Warning, "ffmpeg {Stream} exited unexpectedly (exit code {ExitCode}); restarting in {Backoff}. Last stderr lines:\n{Stderr}")]
    public static partial void ProcessDied(ILogger logger, string stream, int exitCode, TimeSpan backoff, string stderr, Exception? exception);

    [LoggerMessage(4, LogLevel.Debug, "ffmpeg {Stream} finished with exit code {ExitCode}")]
    public static partial void ProcessFinished(ILogger logger, string stream, int exitCode);

    [LoggerMessage(5, LogLevel.Error, "ffmpeg {Stream} wrote output that does not parse ({Error}); killing it")]
    public static partial void MalformedStream(ILogger logger, string stream, string error);

    [LoggerMessage(6, LogLevel.Warning, "Dropped a malformed {Stream} unit: {Reason}")]
    public static partial void MalformedUnit(ILogger logger, string stream, string reason);

    [LoggerMessage(7, LogLevel.Information, "New {Stream} configuration: {Description}")]
    public static partial void ConfigChanged(ILogger logger, string stream, string description);

    [LoggerMessage(8, LogLevel.Warning, "ffmpeg did not finish within {Timeout} of closing its inputs; killing it")]
    public static partial void ShutdownTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(10, LogLevel.Debug, "In-process x264 {Stream} encode finished")]
    public static partial void InProcessFinished(ILogger logger, string stream);

    [LoggerMessage(9, LogLevel.Warning, "Video access unit with no matching input frame; timing it from the FLV timestamp")]
    public static partial void UnmatchedVideoFrame(ILogger logger);
}
