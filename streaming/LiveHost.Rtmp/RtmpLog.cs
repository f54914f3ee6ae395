using Microsoft.Extensions.Logging;

namespace LiveHost.Rtmp;

internal static partial class RtmpLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Kind} output {Id} publishing to {Url}")]
    public static partial void Publishing(this ILogger logger, string kind, string id, string url);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Kind} output {Id} to {Url} failed ({Error}); retrying in {Delay}")]
    public static partial void Retrying(this ILogger logger, string kind, string id, string url, string error, TimeSpan delay);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Kind} output {Id} to {Url} stopped")]
    public static partial void Stopped(this ILogger logger, string kind, string id, string url);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "RTMP server {Url} says {Code} ({Level}): {Description}")]
    public static partial void ServerStatus(this ILogger logger, string url, string code, string level, string description);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "RTMP output {Id} sent sequence headers to {Url}: {Width}x{Height}, AAC {SampleRate} Hz")]
    public static partial void Streaming(this ILogger logger, string id, string url, int width, int height, int sampleRate);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "RTMP connection to {Url}: no bytes went out for {Stall}; aborting it")]
    public static partial void SendStalled(this ILogger logger, string url, TimeSpan stall);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "RTMP output {Id} ended its publication at {Url} (FCUnpublish, deleteStream)")]
    public static partial void Unpublished(this ILogger logger, string id, string url);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "{Kind} output {Id} to {Url} paused: its publication ends and it stays disconnected until resumed")]
    public static partial void Paused(this ILogger logger, string kind, string id, string url);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{Kind} output {Id} to {Url} resumed")]
    public static partial void Resumed(this ILogger logger, string kind, string id, string url);
}
