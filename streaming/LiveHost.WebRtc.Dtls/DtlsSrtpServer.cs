using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// The DTLS server side of one viewer's DTLS-SRTP association (we answer with a=setup:passive, so the browser is
/// the DTLS client). The demux hands incoming DTLS datagrams to <see cref="Receive"/>; a dedicated thread runs
/// BouncyCastle's blocking handshake and completes <see cref="HandshakeAsync"/> with the SRTP keys. That thread starts
/// only when the first DTLS record arrives: a session that is offered but never reached (a WHEP POST and nothing
/// more) waits on its handshake timer alone, holding no thread, and fails with a timeout. Once connected the thread
/// ends: after the handshake only alerts and the odd retransmitted final flight arrive, so each arrival schedules a
/// short pass on the thread pool, and a peer close_notify or fatal alert raises <see cref="Closed"/>. A room with
/// hundreds of viewers holds no thread per viewer.
/// </summary>
public sealed class DtlsSrtpServer : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _expectedRemoteFingerprint;
    private readonly ILogger _logger;
    private readonly DtlsSrtpServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly DtlsDatagramQueue _queue;
    private readonly byte[] _applicationData;
    private readonly QueuedDatagramTransport _transport;
    private readonly TaskCompletionSource<DtlsSrtpKeys> _handshake =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly object _gate = new();
    private readonly Lock _serveGate = new();
    private volatile Thread? _thread;
    private bool _handshakeCalled;
    private volatile bool _threadStarted;
    private volatile DtlsTransport? _connection;
    private int _serveScheduled;
    private bool _disposed;
    private int _state = (int)DtlsSrtpServerState.New;
    private int _abort = (int)HandshakeAbort.None;
    private CancellationToken _handshakeToken;
    private CancellationTokenRegistration _cancelRegistration;
    private CancellationTokenSource? _timeoutSource;
    private CancellationTokenRegistration _timeoutRegistration;
    private int _peerAlertLevel = -1;
    private int _peerAlertDescription = -1;
    private long _recordErrors;

    public DtlsSrtpServer(
        DtlsCertificate certificate,
        DtlsFingerprint expectedRemoteFingerprint,
        DtlsDatagramSender send,
        ILogger logger,
        DtlsSrtpServerOptions? options = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(expectedRemoteFingerprint);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options ?? new DtlsSrtpServerOptions();
        _options.Validate();
        _certificate = certificate;
        _expectedRemoteFingerprint = expectedRemoteFingerprint;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _queue = new DtlsDatagramQueue(_options.ReceiveQueueCapacity);
        _applicationData = new byte[_options.ReceiveLimit];
        _transport = new QueuedDatagramTransport(_queue, send, _options.Mtu, _options.ReceiveLimit, logger);
    }

    private enum HandshakeAbort
    {
        None,
        Canceled,
        TimedOut,
        Disposed,
    }

    /// <summary>
    /// Raised once, on a thread-pool thread, when an established association ends because of the peer (close_notify,
    /// fatal alert) or an unrecoverable local error. Not raised by <see cref="Dispose"/>. Handlers must not block.
    /// </summary>
    public event EventHandler<DtlsClosedEventArgs>? Closed;

    /// <summary>Where the association is in its lifecycle.</summary>
    public DtlsSrtpServerState State => (DtlsSrtpServerState)Volatile.Read(ref _state);

    /// <summary>Incoming datagrams dropped: malformed, too long, queue full, or arriving after the end.</summary>
    public long DroppedDatagrams => _queue.Dropped;

    /// <summary>Errors BouncyCastle raised while processing records after the handshake (caught and counted;
    /// corrupt records are normally dropped silently and do not count here).</summary>
    public long DiscardedRecordErrors => Interlocked.Read(ref _recordErrors);

    /// <summary>Whether the session's DTLS handshake thread is still running (it ends once connected; for leak checks).</summary>
    public bool IsThreadRunning => _thread?.IsAlive ?? false;

    /// <summary>
    /// Queues one incoming DTLS datagram (RFC 7983: first byte 20..63). Copies it into a pooled buffer and
    /// returns at once; never throws for bad input. Datagrams that are not a chain of well-formed DTLS 1.2
    /// records (<see cref="DtlsRecordHeader.IsWellFormedDatagram"/>) are dropped and counted.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> datagram)
    {
        // BouncyCastle 2.7 throws (and then kills the association) on some malformed record headers, e.g. the
        // reserved version FE FE, so only datagrams made of well-formed DTLS 1.0/1.2 records reach it.
        if (datagram.Length > _options.ReceiveLimit
            || State is DtlsSrtpServerState.Closed or DtlsSrtpServerState.Failed
            || !DtlsRecordHeader.IsWellFormedDatagram(datagram))
        {
            _queue.CountDrop();
            return;
        }

        if (_queue.TryEnqueue(datagram))
        {
            if (_connection is not null)
            {
                ScheduleServe();
            }
            else if (!_threadStarted)
            {
                StartThreadIfWaiting();
            }
        }
    }

    /// <summary>
    /// Starts the handshake: its timer now, its dedicated thread when the first DTLS record arrives. Completes with the SRTP keys; faults with
    /// <see cref="DtlsHandshakeException"/> (the message says why), <see cref="TimeoutException"/> after
    /// <see cref="DtlsSrtpServerOptions.HandshakeTimeout"/>, or is canceled by <paramref name="cancellationToken"/>.
    /// The token only governs the handshake. Call once.
    /// </summary>
    public Task<DtlsSrtpKeys> HandshakeAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_handshakeCalled)
            {
                throw new InvalidOperationException("HandshakeAsync may only be called once per DtlsSrtpServer.");
            }

            _handshakeCalled = true;
            Volatile.Write(ref _state, (int)DtlsSrtpServerState.Handshaking);
            _handshakeToken = cancellationToken;
            _timeoutSource = new CancellationTokenSource(_options.HandshakeTimeout, _timeProvider);
            _timeoutRegistration = _timeoutSource.Token.UnsafeRegister(
                static state => ((DtlsSrtpServer)state!).AbortHandshake(HandshakeAbort.TimedOut), this);
            _cancelRegistration = cancellationToken.UnsafeRegister(
                static state => ((DtlsSrtpServer)state!).AbortHandshake(HandshakeAbort.Canceled), this);
            if (_queue.HasData)
            {
                // Records arrived before the handshake was asked for.
                StartThreadIfWaiting();
            }
        }

        return _handshake.Task;
    }

    // The handshake thread starts at the first record after HandshakeAsync, at most once, never after an abort or Dispose.
    private void StartThreadIfWaiting()
    {
        lock (_gate)
        {
            if (_disposed || !_handshakeCalled || _threadStarted || State != DtlsSrtpServerState.Handshaking)
            {
                return;
            }

            _threadStarted = true;
            var thread = new Thread(Run) { IsBackground = true, Name = "dtls-srtp" };
            _thread = thread;
            thread.Start();
        }
    }

    private void ReleaseHandshakeTimers()
    {
        _cancelRegistration.Dispose();
        _timeoutRegistration.Dispose();
        _timeoutSource?.Dispose();
    }

    /// <summary>
    /// Ends the association: sends close_notify if established, aborts a running handshake, and waits for the
    /// handshake thread to finish. Safe to call from a <see cref="Closed"/> handler.
    /// </summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            thread = _thread;
            _threadStarted = true;
        }

        Interlocked.CompareExchange(ref _abort, (int)HandshakeAbort.Disposed, (int)HandshakeAbort.None);
        _queue.Stop();
        if (thread is null)
        {
            // No thread ever ran (no handshake asked for, or no record arrived): nothing else will complete it.
            Volatile.Write(ref _state, (int)DtlsSrtpServerState.Closed);
            _handshake.TrySetException(new ObjectDisposedException(nameof(DtlsSrtpServer)));
            ReleaseHandshakeTimers();
        }
        else if (thread != Thread.CurrentThread && !thread.Join(StopTimeout))
        {
            _logger.ThreadDidNotStop((long)StopTimeout.TotalMilliseconds);
        }

        lock (_serveGate)
        {
            // Stopped by Dispose: say goodbye (RFC 5246 §7.2.1). The queue is stopped, so a pass still running
            // has returned, and none starts after this.
            if (_connection is { } connection && State == DtlsSrtpServerState.Connected)
            {
                CloseQuietly(connection);
                Volatile.Write(ref _state, (int)DtlsSrtpServerState.Closed);
            }

            _connection = null;
        }

        _queue.Clear();
    }

    private void AbortHandshake(HandshakeAbort reason)
    {
        if (State != DtlsSrtpServerState.Handshaking)
        {
            return;
        }

        Interlocked.CompareExchange(ref _abort, (int)reason, (int)HandshakeAbort.None);
        _queue.Stop();
        bool neverStarted;
        lock (_gate)
        {
            neverStarted = !_threadStarted && !_disposed;
            _threadStarted = true;
        }

        if (neverStarted)
        {
            // No record ever arrived, so no thread will report the end: report it here. An offer nobody answered is
            // routine (a closed tab, a scanner), so it is one line at Information, with no stack trace.
            _queue.Clear();
            Volatile.Write(ref _state, (int)DtlsSrtpServerState.Failed);
            if ((HandshakeAbort)Volatile.Read(ref _abort) == HandshakeAbort.Canceled)
            {
                _handshake.TrySetCanceled(_handshakeToken);
            }
            else
            {
                _logger.NoRecordArrived(_options.HandshakeTimeout.TotalSeconds);
                _handshake.TrySetException(new TimeoutException(
                    $"The DTLS handshake did not complete within {_options.HandshakeTimeout.TotalSeconds:0.#} s (no DTLS record arrived)."));
            }
        }
    }

    private void Run()
    {
        bool connected = false;
        try
        {
            var tlsServer = new WebRtcTlsServer(
                new DiscardingBcTlsCrypto(new SecureRandom()), _certificate, _expectedRemoteFingerprint, _options, _logger, OnAlertReceived);
            long started = Stopwatch.GetTimestamp();
            DtlsTransport transport;
            try
            {
                transport = new DtlsServerProtocol().Accept(tlsServer, _transport);
            }
            catch (Exception ex)
            {
                FailHandshake(ex, tlsServer.FailureReason);
                return;
            }
            finally
            {
                ReleaseHandshakeTimers();
            }

            _transport.ThrowWhenStopped = false;
            if ((HandshakeAbort)Volatile.Read(ref _abort) != HandshakeAbort.None || tlsServer.Keys is null)
            {
                // Canceled or disposed in the instant the handshake finished: close politely and report the abort.
                CloseQuietly(transport);
                FailHandshake(new IOException("The DTLS session was stopped."), tlsServer.Keys is null ? "The handshake finished without SRTP keys." : null);
                return;
            }

            DtlsSrtpKeys keys = tlsServer.Keys;
            _connection = transport;
            connected = true;
            Volatile.Write(ref _state, (int)DtlsSrtpServerState.Connected);
            _logger.HandshakeCompleted(
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, keys.Profile, keys.CipherSuite, keys.ExtendedMasterSecret);
            _handshake.TrySetResult(keys);
            // Whatever arrived while the handshake was finishing (a retransmitted Finished, an early alert).
            ScheduleServe();
        }
        catch (Exception ex)
        {
            _logger.ThreadFailed(ex);
            Volatile.Write(ref _state, (int)DtlsSrtpServerState.Failed);
            _handshake.TrySetException(ex);
        }
        finally
        {
            // Connected, the queue now feeds the serve passes; otherwise nothing will read it again.
            if (!connected)
            {
                _queue.Stop();
                _queue.Clear();
            }
        }
    }

    private void ScheduleServe()
    {
        if (Interlocked.Exchange(ref _serveScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static server => server.ServeQueued(), this, preferLocal: false);
        }
    }

    // After the handshake nothing but alerts (and retransmitted final flights) should arrive. Each pass lets
    // BouncyCastle read what is queued, one pass at a time (its transport is not thread-safe).
    private void ServeQueued()
    {
        DtlsClosedEventArgs? closed = null;
        lock (_serveGate)
        {
            // Cleared first: a datagram queued from here on schedules another pass.
            Volatile.Write(ref _serveScheduled, 0);
            if (_connection is not { } transport)
            {
                return;
            }

            while (State == DtlsSrtpServerState.Connected && _queue.HasData)
            {
                try
                {
                    // A 1 ms wait: the datagram is already queued; this only bounds the time spent when it is
                    // dropped. WebRTC sends no application data over DTLS, so whatever comes back is ignored. A
                    // datagram may carry several records (RFC 6347 §4.1.1); BouncyCastle returns after the first
                    // application record, so drain the rest (a trailing close_notify must not wait).
                    transport.Receive(_applicationData, 0, _applicationData.Length, 1);
                    while (transport.ReceivePending(_applicationData) >= 0)
                    {
                    }
                }
                catch (Exception ex)
                {
                    // Fatal alerts from the peer land here (and are recorded by OnAlertReceived). Corrupt records
                    // should not: Receive drops malformed headers, DiscardingTlsCipher turns every decrypt failure
                    // into bad_record_mac, and IgnoreCorruptDtlsRecords makes BouncyCastle drop those silently.
                    Interlocked.Increment(ref _recordErrors);
                    _logger.RecordDiscarded(ex);
                }

                int alertLevel = Volatile.Read(ref _peerAlertLevel);
                if (alertLevel >= 0 || _transport.ClosedByTls)
                {
                    DtlsCloseReason reason = alertLevel == AlertLevel.fatal ? DtlsCloseReason.PeerFatalAlert
                        : alertLevel >= 0 ? DtlsCloseReason.PeerCloseNotify
                        : DtlsCloseReason.LocalError;
                    Volatile.Write(ref _state, (int)DtlsSrtpServerState.Closed);
                    _connection = null;
                    _queue.Stop();
                    _queue.Clear();
                    closed = new DtlsClosedEventArgs(reason, Volatile.Read(ref _peerAlertDescription));
                }
            }
        }

        // Outside the gate: a handler may dispose this server. Not after Dispose, which promises no Closed.
        if (closed is not null && !Volatile.Read(ref _disposed))
        {
            RaiseClosed(closed);
        }
    }

    private void OnAlertReceived(short level, short description)
    {
        if (level == AlertLevel.fatal || description == AlertDescription.close_notify)
        {
            Volatile.Write(ref _peerAlertDescription, description);
            Volatile.Write(ref _peerAlertLevel, level);
        }
    }

    private void FailHandshake(Exception error, string? reason)
    {
        var abort = (HandshakeAbort)Volatile.Read(ref _abort);
        Volatile.Write(ref _state, (int)(abort == HandshakeAbort.Disposed ? DtlsSrtpServerState.Closed : DtlsSrtpServerState.Failed));
        switch (abort)
        {
            case HandshakeAbort.Canceled:
                _logger.HandshakeFailed("canceled", error);
                _handshake.TrySetCanceled(_handshakeToken);
                return;
            case HandshakeAbort.TimedOut:
                ReportFailure(new TimeoutException($"The DTLS handshake did not complete within {_options.HandshakeTimeout.TotalSeconds:0.#} s.", error));
                return;
            case HandshakeAbort.Disposed:
                ReportFailure(new ObjectDisposedException("The DTLS session was disposed during the handshake.", error));
                return;
        }

        if (error is TlsTimeoutException)
        {
            ReportFailure(new TimeoutException($"The DTLS handshake did not complete within {_options.HandshakeTimeout.TotalSeconds:0.#} s.", error));
            return;
        }

        ReportFailure(new DtlsHandshakeException(reason ?? Describe(error), error));
    }

    private void ReportFailure(Exception failure)
    {
        _logger.HandshakeFailed(failure.Message, failure.InnerException ?? failure);
        _handshake.TrySetException(failure);
    }

    private static string Describe(Exception error) => error switch
    {
        TlsFatalAlertReceived received =>
            $"The DTLS client aborted the handshake with a fatal '{AlertDescription.GetText(received.AlertDescription)}' alert.",
        TlsFatalAlert alert =>
            $"The DTLS handshake failed with '{AlertDescription.GetText(alert.AlertDescription)}': {alert.Message}",
        _ => $"The DTLS handshake failed: {error.Message}",
    };

    private void CloseQuietly(DtlsTransport transport)
    {
        try
        {
            transport.Close();
        }
        catch (Exception ex)
        {
            _logger.RecordDiscarded(ex);
        }
    }

    private void RaiseClosed(DtlsClosedEventArgs args)
    {
        _logger.PeerClosed(args.Reason, args.AlertDescription);
        try
        {
            Closed?.Invoke(this, args);
        }
        catch (Exception ex)
        {
            _logger.ClosedHandlerFailed(ex);
        }
    }
}
