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
/// <see cref="Pause"/> ends the publication the same graceful way (or cuts a backoff short) and then waits, without
/// connecting, until <see cref="Resume"/>, which connects at once with a fresh backoff.
/// </para>
/// </summary>
public sealed class RtmpOutput : IAsyncDisposable
{
    private readonly MediaBroadcaster _source;
    private readonly RtmpOutputOptions _options;
    private readonly AigcLabel _label;
    private readonly ILogger<RtmpOutput> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ExponentialBackoff _backoff;
    private readonly RtmpTlsTrust _trust;
    private readonly BitrateMeter _bitrate;
    /// <summary>How long a stop waits for the frame in flight and the unpublish commands before closing the connection anyway.</summary>
    public static readonly TimeSpan UnpublishTimeout = TimeSpan.FromSeconds(2);

    // Stopping: no new frame, no reconnect; the publication is ended gracefully. Abort: close now, whatever is in flight.
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private Task _run = Task.CompletedTask;
    private RtmpClient? _client;
    private MediaSubscription? _subscription;
    private int _state = (int)RtmpOutputState.Connecting;
    private long _connects;
    private long _bytesSentBefore;
    private long _droppedBefore;
    private string? _lastError;
    private long _liveSince;
    private long _reconnects;
    private int _started;

    // Pause: _pausing is cancelled to end the connection (or backoff) under way; _resumed completes on Resume.
    private readonly Lock _pauseGate = new();
    private CancellationTokenSource _pausing = new();
    private TaskCompletionSource? _resumed;

    public RtmpOutput(
        string id, RtmpUrl url, MediaBroadcaster source, RtmpOutputOptions options, AigcLabel label,
        ILogger<RtmpOutput> logger, TimeProvider timeProvider, RtmpTlsTrust? trust = null)
    {
        _trust = trust ?? RtmpTlsTrust.System;
        _bitrate = new BitrateMeter(timeProvider);
        Id = id;
        Url = url;
        _source = source;
        _options = options;
        _label = label;
        _logger = logger;
        _timeProvider = timeProvider;
        _backoff = new ExponentialBackoff(options.BackoffMin, options.BackoffMax, new Random());
    }

    public string Id { get; }

    /// <summary>The platform preset this output was added with (checked by the caller), or null.</summary>
    public string? Preset { get; init; }
    public RtmpUrl Url { get; }
    /// <summary>Paused from <see cref="Pause"/> on (the publication may still be ending), until resumed or stopped.</summary>
    public RtmpOutputState State
    {
        get
        {
            var state = (RtmpOutputState)Volatile.Read(ref _state);
            return state != RtmpOutputState.Stopped && IsPaused ? RtmpOutputState.Paused : state;
        }
    }

    public bool IsPaused
    {
        get
        {
            lock (_pauseGate) return _resumed is not null;
        }
    }

    /// <summary>Connection attempts made after a failure.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Bits per second sent over the last second while live; 0 otherwise.</summary>
    public long BitsPerSecond => State == RtmpOutputState.Live ? _bitrate.BitsPerSecond : 0;
    public long Connects => Interlocked.Read(ref _connects);
    public long BytesSent => Interlocked.Read(ref _bytesSentBefore) + (Volatile.Read(ref _client)?.BytesSent ?? 0);
    public long DroppedFrames => Interlocked.Read(ref _droppedBefore) + (Volatile.Read(ref _subscription)?.DroppedFrames ?? 0);
    public string? LastError => Volatile.Read(ref _lastError);

    public RtmpOutputInfo GetInfo() =>
        new(Id, Url.Masked, State.ToApiName(), Connects, BytesSent, DroppedFrames, LastError, Reconnects, BitsPerSecond, Preset);

    /// <summary>
    /// Ends the publication (FCUnpublish, deleteStream, close) or the backoff under way, and connects no more until
    /// <see cref="Resume"/>. False when already paused.
    /// </summary>
    public bool Pause()
    {
        CancellationTokenSource pausing;
        lock (_pauseGate)
        {
            if (_resumed is not null) return false;
            _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pausing = _pausing;
        }
        _logger.Paused(Id, Url.Masked);
        pausing.Cancel();
        return true;
    }

    /// <summary>Connects again at once, with a fresh backoff. False when not paused.</summary>
    public bool Resume()
    {
        TaskCompletionSource resumed;
        lock (_pauseGate)
        {
            if (_resumed is null) return false;
            resumed = _resumed;
            _resumed = null;
            _pausing = new CancellationTokenSource();
            SetState(RtmpOutputState.Connecting);
        }
        _logger.Resumed(Id, Url.Masked);
        resumed.TrySetResult();
        return true;
    }

    /// <summary>Returns at once unless paused; otherwise once resumed (true), or throws when stopped meanwhile.</summary>
    private async Task<bool> WaitWhilePausedAsync(CancellationToken stopping)
    {
        Task resumed;
        lock (_pauseGate)
        {
            if (_resumed is null) return false;
            resumed = _resumed.Task;
        }
        SetState(RtmpOutputState.Paused);
        await resumed.WaitAsync(stopping);
        SetState(RtmpOutputState.Connecting);
        return true;
    }

    private CancellationToken PausingToken()
    {
        lock (_pauseGate) return _pausing.Token;
    }

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("output already started");
        _run = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        _logger.Publishing(Id, Url.Masked);
        var retry = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await WaitWhilePausedAsync(stopping))
                {
                    // Resumed: a fresh start, not a retry.
                    _backoff.Reset();
                    retry = false;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (retry) Interlocked.Increment(ref _reconnects);
            Volatile.Write(ref _liveSince, 0);
            var pausing = PausingToken();
            using var ending = CancellationTokenSource.CreateLinkedTokenSource(stopping, pausing);
            try
            {
                await RunConnectionAsync(ending.Token);
            }
            catch (Exception error) when (!ending.IsCancellationRequested)
            {
                Volatile.Write(ref _lastError, Url.Scrub(Describe(error)));
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                // Paused while connecting or live: the loop waits for the resume.
            }
            catch (Exception)
            {
                break;
            }
            finally
            {
                await EndConnectionAsync();
            }
            if (stopping.IsCancellationRequested) break;
            if (pausing.IsCancellationRequested) continue;
            retry = true;

            SetState(RtmpOutputState.Retrying);
            var liveSince = Volatile.Read(ref _liveSince);
            if (liveSince != 0 && _timeProvider.GetElapsedTime(liveSince) >= _options.BackoffResetAfter) _backoff.Reset();
            var delay = _backoff.NextDelay();
            _logger.Retrying(Id, Url.Masked, LastError ?? "connection ended", delay);
            try
            {
                await Task.Delay(delay, _timeProvider, ending.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                // Paused during the backoff.
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        SetState(RtmpOutputState.Stopped);
        _logger.Stopped(Id, Url.Masked);
    }

    /// <summary>
    /// One connection, start to failure or stop; it ends by an exception (a failure, or a stop while connecting), or
    /// returns after a stop ended the publication.
    /// </summary>
    private async Task RunConnectionAsync(CancellationToken stopping)
    {
        var client = new RtmpClient(Url, _logger, _timeProvider, _options.SendStallTimeout, _options.Addresses, _trust);
        Volatile.Write(ref _client, client);
        // A stop does not cut a connect short: once publish is under way the server has a stream to end, so the connect
        // finishes (within ConnectTimeout, or the stop's UnpublishTimeout, which aborts it) and the pump below ends it.
        using (var connectTimeout = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider))
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, connectTimeout.Token))
        {
            try
            {
                await client.ConnectAsync(connecting.Token);
            }
            catch (OperationCanceledException) when (connectTimeout.IsCancellationRequested && !_abort.IsCancellationRequested)
            {
                throw new TimeoutException($"connect and publish did not finish within {_options.ConnectTimeout.TotalSeconds:0.#} s");
            }
        }
        Interlocked.Increment(ref _connects);
        Volatile.Write(ref _liveSince, _timeProvider.GetTimestamp());
        // Live again: the last failure is history, not the output's state.
        Volatile.Write(ref _lastError, null);
        _bitrate.Reset(client.BytesSent);
        SetState(RtmpOutputState.Live);

        // Subscribe only now, so frames queued while connecting (or during the backoff) never go out late.
        var subscription = _source.Subscribe($"rtmp:{Id}", _options.SubscriberCapacity);
        Volatile.Write(ref _subscription, subscription);

        // Sends end with the session (the connection ended, or an abort); a stop only ends the wait for the next frame,
        // so a frame is never cut off half-sent before the unpublish commands go out on the same connection.
        using var session = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
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
            _logger.Unpublished(Id, Url.Masked);
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
                _bitrate.Reset(client.BytesSent);
                _logger.Streaming(Id, Url.Masked, video.Width, video.Height, audio.SampleRate);
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
            _bitrate.Record(client.BytesSent);
        }
    }

    private async Task EndConnectionAsync()
    {
        var subscription = Interlocked.Exchange(ref _subscription, null);
        if (subscription is not null)
        {
            Interlocked.Add(ref _droppedBefore, subscription.DroppedFrames);
            subscription.Dispose();
        }
        var client = Volatile.Read(ref _client);
        if (client is not null)
        {
            await client.DisposeAsync();
            Interlocked.Add(ref _bytesSentBefore, client.BytesSent);
            Volatile.Write(ref _client, null);
        }
    }

    private void SetState(RtmpOutputState state) => Volatile.Write(ref _state, (int)state);

    private static string Describe(Exception error) => error switch
    {
        System.Net.Sockets.SocketException socket => $"{socket.SocketErrorCode}: {socket.Message}",
        AggregateException { InnerException: { } inner } => Describe(inner),
        _ => error.Message,
    };

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync();
        try
        {
            await _run.WaitAsync(UnpublishTimeout, _timeProvider);
        }
        catch (TimeoutException)
        {
            // A server that stopped reading: closing the socket aborts a send or receive that ignores cancellation.
            await _abort.CancelAsync();
            var client = Volatile.Read(ref _client);
            if (client is not null) await client.DisposeAsync();
            await _run;
        }
        SetState(RtmpOutputState.Stopped);
        _stopping.Dispose();
        _abort.Dispose();
    }
}
