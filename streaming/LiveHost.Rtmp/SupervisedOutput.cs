using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Rtmp;

/// <summary>
/// What every push output kind (RTMP, RTMPS, SRT, ...) shares: it connects, runs one connection until it fails, backs off
/// (jittered, exponential) and connects again, forever, until disposed; an operator can pause it (the connection or the
/// backoff under way ends, nothing connects) and resume it (a connect at once, with a fresh backoff). It keeps the state,
/// connects, reconnects, bitrate and last error the API shows (<see cref="GetInfo"/>). A kind supplies one connection
/// (<see cref="RunConnectionAsync"/>: connect, call <see cref="MarkLive"/>, send until it fails or <c>ending</c> is
/// cancelled) and its clean-up (<see cref="EndConnectionAsync"/>).
/// <para>
/// Disposing ends it for good: <c>ending</c> is cancelled so the connection can end gracefully; one that does not finish
/// within <see cref="UnpublishTimeout"/> is aborted (<see cref="AbortToken"/>, <see cref="AbortConnectionAsync"/>).
/// </para>
/// </summary>
public abstract class SupervisedOutput : IAsyncDisposable
{
    /// <summary>How long a stop waits for the connection to end gracefully before aborting it.</summary>
    public static readonly TimeSpan UnpublishTimeout = TimeSpan.FromSeconds(2);

    private readonly string _kind;
    private readonly ExponentialBackoff _backoff;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _pauseGate = new();
    // Pause: _pausing is cancelled to end the connection (or backoff) under way; _resumed completes on Resume.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification =
        "Pause may still cancel it after the output stopped; it has no timer and no wait handle, so nothing leaks.")]
    private CancellationTokenSource _pausing = new();
    private TaskCompletionSource? _resumed;
    private Task _run = Task.CompletedTask;
    private int _state = (int)RtmpOutputState.Connecting;
    private long _connects;
    private long _reconnects;
    private string? _lastError;
    private long _liveSince;
    private int _started;
    private MediaSubscription? _subscription;
    private long _droppedBefore;

    protected SupervisedOutput(string kind, string id, string maskedUrl, RtmpOutputOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _kind = kind;
        Id = id;
        MaskedUrl = maskedUrl;
        Options = options;
        Logger = logger;
        TimeProvider = timeProvider;
        Bitrate = new BitrateMeter(timeProvider);
        _backoff = new ExponentialBackoff(options.BackoffMin, options.BackoffMax, new Random());
    }

    public string Id { get; }

    /// <summary>The URL with its secrets masked.</summary>
    public string MaskedUrl { get; }

    /// <summary>The platform preset this output was added with (checked by the caller), or null.</summary>
    public string? Preset { get; init; }

    protected RtmpOutputOptions Options { get; }
    protected ILogger Logger { get; }
    protected TimeProvider TimeProvider { get; }
    protected BitrateMeter Bitrate { get; }

    /// <summary>Cancelled when a stop gave up waiting for a graceful end: close now, whatever is in flight.</summary>
    protected CancellationToken AbortToken => _abort.Token;

    /// <summary>Paused from <see cref="Pause"/> on (the connection may still be ending), until resumed or stopped.</summary>
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

    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Connection attempts made after a failure.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Bits per second sent over the last second while live; 0 otherwise.</summary>
    public long BitsPerSecond => State == RtmpOutputState.Live ? Bitrate.BitsPerSecond : 0;

    public string? LastError => Volatile.Read(ref _lastError);

    public abstract long BytesSent { get; }

    /// <summary>Frames this output's subscriptions dropped because it fell behind, over all its connections.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedBefore) + (Volatile.Read(ref _subscription)?.DroppedFrames ?? 0);

    public RtmpOutputInfo GetInfo() =>
        new(Id, MaskedUrl, State.ToApiName(), Connects, BytesSent, DroppedFrames, LastError, Reconnects, BitsPerSecond, Preset, _kind.ToLowerInvariant());

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("output already started");
        _run = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Ends the connection (gracefully) or the backoff under way, and connects no more until <see cref="Resume"/>. False when already paused.</summary>
    public bool Pause()
    {
        CancellationTokenSource pausing;
        lock (_pauseGate)
        {
            if (_resumed is not null) return false;
            _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pausing = _pausing;
        }
        Logger.Paused(_kind, Id, MaskedUrl);
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
        Logger.Resumed(_kind, Id, MaskedUrl);
        resumed.TrySetResult();
        return true;
    }

    /// <summary>
    /// One connection, start to failure or stop: connect, <see cref="MarkLive"/>, send. It ends by an exception (a failure,
    /// or <paramref name="ending"/> cancelled while connecting), or returns after <paramref name="ending"/> ended it gracefully.
    /// </summary>
    protected abstract Task RunConnectionAsync(CancellationToken ending);

    /// <summary>Releases what the connection held (after success, failure or stop), adding its counters to the totals.</summary>
    protected abstract ValueTask EndConnectionAsync();

    /// <summary>Closes the connection under a send or receive that ignores cancellation (a stop that timed out).</summary>
    protected abstract ValueTask AbortConnectionAsync();

    /// <summary><paramref name="text"/> with the URL's secrets replaced by <c>****</c>.</summary>
    protected abstract string Scrub(string text);

    /// <summary>The connection is up and publishing: counts it, clears the last error, starts the bitrate window.</summary>
    protected void MarkLive(long bytesSent)
    {
        Interlocked.Increment(ref _connects);
        Volatile.Write(ref _liveSince, TimeProvider.GetTimestamp());
        // Live again: the last failure is history, not the output's state.
        Volatile.Write(ref _lastError, null);
        Bitrate.Reset(bytesSent);
        SetState(RtmpOutputState.Live);
    }

    /// <summary>
    /// Subscribes this connection to the encode. Call it once connected, so frames queued while connecting (or during the
    /// backoff) never go out late; it is released when the connection ends, its dropped frames counted.
    /// </summary>
    protected MediaSubscription Subscribe(MediaBroadcaster source)
    {
        var subscription = source.Subscribe($"{_kind.ToLowerInvariant()}:{Id}", Options.SubscriberCapacity);
        Volatile.Write(ref _subscription, subscription);
        return subscription;
    }

    private void ReleaseSubscription()
    {
        var subscription = Interlocked.Exchange(ref _subscription, null);
        if (subscription is null) return;
        Interlocked.Add(ref _droppedBefore, subscription.DroppedFrames);
        subscription.Dispose();
    }

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

    private async Task RunAsync(CancellationToken stopping)
    {
        Logger.Publishing(_kind, Id, MaskedUrl);
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
                Volatile.Write(ref _lastError, Scrub(Describe(error)));
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
                ReleaseSubscription();
                await EndConnectionAsync();
            }
            if (stopping.IsCancellationRequested) break;
            if (pausing.IsCancellationRequested) continue;
            retry = true;

            SetState(RtmpOutputState.Retrying);
            var liveSince = Volatile.Read(ref _liveSince);
            if (liveSince != 0 && TimeProvider.GetElapsedTime(liveSince) >= Options.BackoffResetAfter) _backoff.Reset();
            var delay = _backoff.NextDelay();
            Logger.Retrying(_kind, Id, MaskedUrl, LastError ?? "connection ended", delay);
            try
            {
                await Task.Delay(delay, TimeProvider, ending.Token);
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
        Logger.Stopped(_kind, Id, MaskedUrl);
    }

    private void SetState(RtmpOutputState state)
    {
        Volatile.Write(ref _state, (int)state);
        Changed?.Invoke(this);
    }

    /// <summary>
    /// Raised after every state transition (connecting, live, retrying, paused, stopped; the last error is written
    /// before the transition it causes), on the output's own task or the caller of Pause/Resume: for whoever waits on an
    /// output (tests, observers) instead of polling it. Handlers must not block.
    /// </summary>
    public event Action<SupervisedOutput>? Changed;

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
            await _run.WaitAsync(UnpublishTimeout, TimeProvider);
        }
        catch (TimeoutException)
        {
            // A server that stopped reading: closing the connection aborts a send or receive that ignores cancellation.
            await _abort.CancelAsync();
            await AbortConnectionAsync();
            await _run;
        }
        SetState(RtmpOutputState.Stopped);
        _stopping.Dispose();
        _abort.Dispose();
        GC.SuppressFinalize(this);
    }
}
