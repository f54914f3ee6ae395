using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Rtmp;

/// <summary>
/// Pushes a room's encode to one RTMP URL, forever, until disposed. Each connection gets a fresh subscription
/// (so no stale backlog is ever sent), waits for the codec configs and a keyframe, sends metadata and sequence
/// headers, then frames with timestamps that start at 0 at that keyframe. Any failure is logged, recorded in
/// <see cref="LastError"/>, and followed by a jittered exponential backoff and a reconnect. The encoder never
/// waits on this: the subscription drops its oldest frames when this output falls behind.
/// <para>
/// Disposing ends it for good, gracefully first: the frame being sent finishes, the publication is ended
/// (FCUnpublish, deleteStream: the server drops the stream and tells its players at once, rather than noticing a
/// dead connection), then the connection closes. A server that does not take those bytes within
/// <see cref="UnpublishTimeout"/> gets the connection closed under it. Nothing reconnects after that.
/// </para>
/// <para>
/// Retries, pause and resume, state and counters are <see cref="SupervisedOutput"/>'s; a pause ends the publication the
/// same graceful way as a stop.
/// </para>
/// </summary>
public sealed class RtmpOutput : SupervisedOutput
{
    private readonly MediaBroadcaster _source;
    private readonly AigcLabel _label;
    private readonly RtmpTlsTrust _trust;
    private RtmpClient? _client;
    private long _bytesSentBefore;

    public RtmpOutput(
        string id, RtmpUrl url, MediaBroadcaster source, RtmpOutputOptions options, AigcLabel label,
        ILogger<RtmpOutput> logger, TimeProvider timeProvider, RtmpTlsTrust? trust = null)
        : base("RTMP", id, url.Masked, options, logger, timeProvider)
    {
        Url = url;
        _source = source;
        _label = label;
        _trust = trust ?? RtmpTlsTrust.System;
    }

    public RtmpUrl Url { get; }
    public override long BytesSent => Interlocked.Read(ref _bytesSentBefore) + (Volatile.Read(ref _client)?.BytesSent ?? 0);

    /// <inheritdoc />
    protected override async Task RunConnectionAsync(CancellationToken stopping)
    {
        // Owned by _client from here on: EndConnectionAsync (or AbortConnectionAsync) disposes it after every connection.
#pragma warning disable CA2000
        var client = new RtmpClient(Url, Logger, TimeProvider, Options.SendStallTimeout, Options.Addresses, _trust);
#pragma warning restore CA2000
        Volatile.Write(ref _client, client);
        // A stop does not cut a connect short: once publish is under way the server has a stream to end, so the connect
        // finishes (within ConnectTimeout, or the stop's UnpublishTimeout, which aborts it) and the pump below ends it.
        using (var connectTimeout = new CancellationTokenSource(Options.ConnectTimeout, TimeProvider))
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(AbortToken, connectTimeout.Token))
        {
            try
            {
                await client.ConnectAsync(connecting.Token);
            }
            catch (OperationCanceledException) when (connectTimeout.IsCancellationRequested && !AbortToken.IsCancellationRequested)
            {
                throw new TimeoutException($"connect and publish did not finish within {Options.ConnectTimeout.TotalSeconds:0.#} s");
            }
        }
        MarkLive(client.BytesSent);

        // Subscribe only now, so frames queued while connecting (or during the backoff) never go out late.
        var subscription = Subscribe(_source);

        // Sends end with the session (the connection ended, or an abort); a stop only ends the wait for the next frame,
        // so a frame is never cut off half-sent before the unpublish commands go out on the same connection.
        using var session = CancellationTokenSource.CreateLinkedTokenSource(AbortToken);
        // The receive loop ends when the server goes away; stop pumping then even if no frame is due.
        _ = client.Completion.ContinueWith(
            static (_, state) => ((CancellationTokenSource)state!).Cancel(), session, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(session.Token, stopping);
        try
        {
            await PumpAsync(client, subscription, reading.Token, session.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !session.IsCancellationRequested)
        {
            // Stopped between two frames: end the publication, then the caller closes the connection.
            await client.UnpublishAsync(session.Token);
            Logger.Unpublished(Id, Url.Masked);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested && client.Completion.IsFaulted)
        {
            await client.Completion;
        }
    }

    private async Task PumpAsync(RtmpClient client, MediaSubscription subscription, CancellationToken readToken, CancellationToken token)
    {
        H264Config? sentVideo = null;
        AacConfig? sentAudio = null;
        long baseMilliseconds = 0;
        while (true)
        {
            var frame = await subscription.ReadAsync(readToken);
            if (sentVideo is null || sentAudio is null)
            {
                // Start at a keyframe once both configs are known; audio before that has no video to join.
                var video = _source.VideoConfig;
                var audio = _source.AudioConfig;
                if (frame.Kind != MediaKind.Video || !frame.IsKeyframe || video is null || audio is null) continue;
                baseMilliseconds = frame.PtsMilliseconds;
                await client.SendMetadataAsync(video, audio, _source.Format.FramesPerSecond, _label, token);
                await client.SendVideoSequenceHeaderAsync(video, 0, token);
                await client.SendAudioSequenceHeaderAsync(audio, 0, token);
                sentVideo = video;
                sentAudio = audio;
                // Rates are measured from the first keyframe on, not over the wait for it.
                Bitrate.Reset(client.BytesSent);
                Logger.Streaming(Id, Url.Masked, video.Width, video.Height, audio.SampleRate);
            }

            var relative = frame.PtsMilliseconds - baseMilliseconds;
            if (relative < 0) continue;
            var timestamp = unchecked((uint)relative);
            if (frame.Kind == MediaKind.Video)
            {
                // A new encode (e.g. an encoder restart) brings new parameter sets; announce them at its first keyframe.
                if (frame.IsKeyframe && _source.VideoConfig is { } video && !ReferenceEquals(video, sentVideo))
                {
                    await client.SendVideoSequenceHeaderAsync(video, timestamp, token);
                    sentVideo = video;
                }
                await client.SendVideoFrameAsync(timestamp, frame.IsKeyframe, frame.Data, token);
            }
            else
            {
                if (_source.AudioConfig is { } audio && !ReferenceEquals(audio, sentAudio))
                {
                    await client.SendAudioSequenceHeaderAsync(audio, timestamp, token);
                    sentAudio = audio;
                }
                await client.SendAudioFrameAsync(timestamp, frame.Data, token);
            }
            Bitrate.Record(client.BytesSent);
        }
    }

    protected override async ValueTask EndConnectionAsync()
    {
        var client = Volatile.Read(ref _client);
        if (client is not null)
        {
            await client.DisposeAsync();
            Interlocked.Add(ref _bytesSentBefore, client.BytesSent);
            Volatile.Write(ref _client, null);
        }
    }

    protected override async ValueTask AbortConnectionAsync()
    {
        var client = Volatile.Read(ref _client);
        if (client is not null) await client.DisposeAsync();
    }

    protected override string Scrub(string text) => Url.Scrub(text);
}
