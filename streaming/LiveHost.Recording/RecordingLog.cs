using Microsoft.Extensions.Logging;

namespace LiveHost.Recording;

internal static partial class RecordingLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Room {Room} records to {Path}")]
    public static partial void FileOpened(ILogger logger, string room, string path);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Room {Room} closed recording {Path} ({Seconds:0.0} s, {Bytes} bytes)")]
    public static partial void FileClosed(ILogger logger, string room, string path, double seconds, long bytes);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Room {Room} stopped recording: {Reason}")]
    public static partial void Stopped(ILogger logger, string room, string reason);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Information, Message = "Room {Room}: deleted recording {Path}, past the {Hours} h retention")]
    public static partial void Expired(ILogger logger, string room, string path, double hours);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Warning, Message = "Room {Room}: could not delete expired recording {Path}: {Error}")]
    public static partial void ExpireFailed(ILogger logger, string room, string path, string error);
}
