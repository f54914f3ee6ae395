using System.Buffers;
using System.Net;
using LiveHost.Media;
using LiveHost.Rtmp;
using LiveHost.Srt.MpegTs;
using Microsoft.Extensions.Logging;

namespace LiveHost.Srt;

/// <summary>
/// Pushes a room's encode to an SRT listener as MPEG-TS (H.264 + AAC), forever, until disposed; retries, pause and
/// resume, state and counters are <see cref="SupervisedOutput"/>'s. Each connection: the host is resolved and checked
/// against the output address rules (at every connect), libsrt connects as caller (blocking, on a pool thread, within
/// <c>ConnectTimeout</c>), then a fresh subscription waits for a keyframe and every frame is muxed (<see cref="MpegTsMuxer"/>,
/// timestamps from 0 at that keyframe) and sent. The encoder never waits on this: the subscription drops its oldest frames
/// when the output falls behind, and a send that makes no progress for <c>SendStallTimeout</c> fails the connection.
/// </summary>
public sealed class SrtOutput : SupervisedOutput
{
    private readonly MediaBroadcaster _source;
    private SrtConnection? _connection;
    private long _bytesSentBefore;

    public SrtOutput(string id, SrtUrl url, MediaBroadcaster source, RtmpOutputOptions options, ILogger<SrtOutput> logger, TimeProvider timeProvider)
        : base("SRT", id, url.Masked, options, logger, timeProvider)
    {
        Url = url;
        _source = source;
    }

    public SrtUrl Url { get; }

    public override long BytesSent => Interlocked.Read(ref _bytesSentBefore) + (Volatile.Read(ref _connection)?.BytesSent ?? 0);


    protected override async Task RunConnectionAsync(CancellationToken ending)
    {
        IPAddress[] addresses;
        using (var resolving = new CancellationTokenSource(Options.ConnectTimeout, TimeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(resolving.Token, ending))
        {
            addresses = await Options.Addresses.ResolveAllowedAsync(Url.Host, linked.Token);
        }
        var endpoint = new IPEndPoint(addresses[0], Url.Port);
        var connection = await Task.Run(() => SrtConnection.Connect(Url, endpoint, Options.ConnectTimeout, Options.SendStallTimeout), CancellationToken.None);
        Volatile.Write(ref _connection, connection);
        MarkLive(0);

        var subscription = Subscribe(_source);
        try
        {
            await PumpAsync(connection, subscription, ending);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // Stopped or paused: closing the socket (EndConnectionAsync) tells the listener.
        }
    }

    private async Task PumpAsync(SrtConnection connection, MediaSubscription subscription, CancellationToken token)
    {
        var muxer = new MpegTsMuxer();
        var packets = new ArrayBufferWriter<byte>(256 * 1024);
        long? baseTime = null;
        while (true)
        {
            var frame = await subscription.ReadAsync(token);
            var video = _source.VideoConfig;
            var audio = _source.AudioConfig;
            if (baseTime is null)
            {
                // Start at a keyframe once both configs are known.
                if (frame.Kind != MediaKind.Video || !frame.IsKeyframe || video is null || audio is null) continue;
                baseTime = frame.Pts90k;
                Bitrate.Reset(connection.BytesSent);
            }
            var time = frame.Pts90k - baseTime.Value;
            if (time < 0) continue;
            packets.ResetWrittenCount();
            if (frame.Kind == MediaKind.Video) muxer.WriteVideo(packets, time, frame.IsKeyframe, frame.Data.Span, video!);
            else muxer.WriteAudio(packets, time, frame.Data.Span, audio!);
            connection.Send(packets.WrittenSpan);
            Bitrate.Record(connection.BytesSent);
        }
    }

    protected override ValueTask EndConnectionAsync()
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is not null)
        {
            connection.Dispose();
            Interlocked.Add(ref _bytesSentBefore, connection.BytesSent);
            Volatile.Write(ref _connection, null);
        }
        return ValueTask.CompletedTask;
    }

    protected override ValueTask AbortConnectionAsync()
    {
        Volatile.Read(ref _connection)?.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override string Scrub(string text) => Url.Scrub(text);
}
