using System.Net;
using LiveHost.WebRtc.Dtls;
using LiveHost.WebRtc.Ice;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Rtp.Extensions;
using LiveHost.WebRtc.Rtp.Rtcp;
using LiveHost.WebRtc.Sdp;
using LiveHost.WebRtc.Srtp;
using LiveHost.WebRtc.Transport;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc.Sessions;

/// <summary>
/// One browser watching one room: ICE-lite consent, the DTLS-SRTP handshake, and a <see cref="ViewerMediaSender"/>
/// that reads the room's packet rings, encrypts for this viewer only and sends. The receive thread hands it STUN, DTLS
/// and SRTCP; it only ever queues work for the sender, so a viewer can never hold up the port, the room or another
/// viewer.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "Close(reason) is this type's end: idempotent, and every path that creates a session ends it so (the registry on " +
    "expiry, removal or shutdown). It disposes the DTLS server; the CTS has no timer, and the SRTP contexts stay with " +
    "the send thread until it sees the close, so the GC, not Close, frees them.")]
public sealed partial class ViewerSession : IDatagramHandler, IRoomViewer
{
    private readonly WebRtcRoomStream _room;
    private readonly WhepNegotiation _negotiation;
    private readonly UdpMux _mux;
    private readonly ILogger _logger;
    private readonly IceLiteAgent _agent;
    private readonly DtlsSrtpServer _dtls;
    private readonly byte[] _stunResponse = new byte[256];
    private readonly byte[] _rtcpIn = new byte[1500];
    private readonly CancellationTokenSource _stop = new();
    private readonly ViewerMediaSender _media;
    private SrtpContext? _srtpOut;
    private SrtpContext? _srtpIn;
    private int _state;
    private Task? _sender;
    private Task? _handshake;

    public ViewerSession(string id, WebRtcRoomStream room, WhepNegotiation negotiation, IceCredentials local, DtlsCertificate certificate,
        UdpMux mux, WebRtcOptions options, TimeProvider time, ILogger logger)
    {
        Id = id;
        _room = room;
        _negotiation = negotiation;
        _mux = mux;
        _logger = logger;
        _media = new ViewerMediaSender(room, new ViewerPacketSender(mux, Counters, options.SimulatedSendLossPercent), options.ViewerQueuePackets,
            (byte)negotiation.Video.PayloadType, (byte)negotiation.Audio.PayloadType, time, PlayoutDelayElement(negotiation, options));
        CreatedAt = time.GetUtcNow();
        var remoteIce = new IceCredentials(negotiation.RemoteIceUfrag, negotiation.RemoteIcePassword);
        _agent = new IceLiteAgent(local, remoteIce, time, new IceLiteOptions { ConsentTimeout = TimeSpan.FromSeconds(options.ConsentTimeoutSeconds) });
        var expected = DtlsFingerprint.Parse(negotiation.RemoteFingerprint.Algorithm + " " + negotiation.RemoteFingerprint.Value);
        _dtls = new DtlsSrtpServer(certificate, expected, SendDtls, logger,
            new DtlsSrtpServerOptions { HandshakeTimeout = TimeSpan.FromSeconds(options.HandshakeTimeoutSeconds) }, time);
        // Raised on a pool thread outside the DTLS server's own locks, so closing (which disposes it) may run there.
        _dtls.Closed += (_, _) => Close(ViewerCloseReason.PeerClosed);
    }

    // Only where the answer agreed the extension (the browser offered it and the server sends it).
    private static OneByteExtensionElement? PlayoutDelayElement(WhepNegotiation negotiation, WebRtcOptions options) =>
        negotiation.Video.ExtensionId(WhepAnswer.PlayoutDelayUri) is var id and > 0 && options.SendPlayoutDelay
            ? OneByteExtensionElement.PlayoutDelay(id, new PlayoutDelay(options.PlayoutDelayMinMs, options.PlayoutDelayMaxMs))
            : null;

    public string Id { get; }
    public string Room => _room.Room;
    public string LocalUfrag => _agent.Local.Ufrag;
    public DateTimeOffset CreatedAt { get; }
    public ViewerSessionState State => (ViewerSessionState)Volatile.Read(ref _state);
    public ViewerCloseReason? CloseReason { get; private set; }
    public ViewerCounters Counters { get; } = new();
    public IPEndPoint? Remote => _agent.SelectedRemote;

    /// <summary>The address the WHEP POST came from, as the pending caps count it (null when unknown).</summary>
    public IPAddress? PostedFrom { get; init; }

    /// <summary>Whether the DTLS handshake thread runs (only from the first DTLS record until connected).</summary>
    public bool HoldsThread => _dtls.IsThreadRunning;

    /// <summary>True when the browser stopped its consent checks for longer than the timeout (it is gone).</summary>
    public bool ConsentExpired => _agent.IsConsentExpired;

    /// <summary>Raised once when the session ends, for the registry to forget it.</summary>
    public event Action<ViewerSession, ViewerCloseReason>? Closed;

    public void Start()
    {
        _mux.RegisterUfrag(LocalUfrag, this);
        _sender = Task.Run(SendLoopAsync);
        // Called here, not on the pool: it only arms the handshake's timer (on this session's clock) and returns; the DTLS
        // thread starts when the first record arrives, so a session nobody connects to holds no thread.
        _handshake = HandshakeAsync(_stop.Token);
    }

    public void PacketsAvailable() => _media.PacketsAvailable();

    // ---- receive thread -------------------------------------------------------------------------------------

    public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (State == ViewerSessionState.Closed) return;
        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Stun:
                OnStun(datagram, from);
                break;
            case PacketKind.Dtls:
                if (_media.Remote is not null) _dtls.Receive(datagram);
                break;
            case PacketKind.Rtcp:
                OnRtcp(datagram);
                break;
        }
    }

    private void OnStun(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        var endpoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from);
        var result = _agent.Handle(datagram, endpoint, _stunResponse, out var length);
        if (length > 0) _mux.Send(_stunResponse.AsSpan(0, length), from);
        if (result is IceResult.Validated or IceResult.Nominated && _agent.SelectedRemote is { } selected && selected.Equals(endpoint)
            && (_media.Remote is not { } current || !current.Equals(from)))
        {
            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
            _media.Remote = copy;
            _mux.RegisterAddress(from, this);
        }
    }

    private void OnRtcp(ReadOnlySpan<byte> datagram)
    {
        Interlocked.Increment(ref Counters.RtcpReceivedField);
        var srtp = _srtpIn;
        if (srtp is null || datagram.Length > _rtcpIn.Length)
        {
            Interlocked.Increment(ref Counters.RtcpRejectedField);
            return;
        }
        datagram.CopyTo(_rtcpIn);
        if (!srtp.TryUnprotectRtcp(_rtcpIn, datagram.Length, out var plain))
        {
            Interlocked.Increment(ref Counters.RtcpRejectedField);
            return;
        }
        var reader = new RtcpCompoundReader(_rtcpIn.AsSpan(0, plain));
        var wake = false;
        while (reader.TryReadNext(out var packet))
        {
            switch (packet.Kind)
            {
                case RtcpPacketKind.PictureLossIndication:
                case RtcpPacketKind.FullIntraRequest:
                    Interlocked.Increment(ref Counters.PliField);
                    _media.RequestKeyframe();
                    break;
                case RtcpPacketKind.GenericNack:
                    if (packet.MediaSsrc != _room.VideoSsrc && packet.MediaSsrc != _room.AudioSsrc) break;
                    Interlocked.Increment(ref Counters.NackField);
                    foreach (var sequence in packet.LostSequenceNumbers) _media.QueueRetransmission(sequence);
                    wake = true;
                    break;
            }
        }
        if (reader.IsMalformed) Interlocked.Increment(ref Counters.RtcpRejectedField);
        if (wake) PacketsAvailable();
    }

    private void SendDtls(ReadOnlySpan<byte> datagram)
    {
        if (_media.Remote is { } remote) _mux.Send(datagram, remote);
    }

    // ---- handshake ------------------------------------------------------------------------------------------

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var keys = await _dtls.HandshakeAsync(cancellationToken).ConfigureAwait(false);
            var profile = (SrtpProfile)(ushort)keys.Profile;
            _srtpOut = new SrtpContext(profile, keys.ServerWriteMasterKey, keys.ServerWriteMasterSalt);
            _srtpIn = new SrtpContext(profile, keys.ClientWriteMasterKey, keys.ClientWriteMasterSalt);
            _media.Start(_srtpOut);
            // A Close (peer alert, DELETE, consent) may have won the race with this continuation: then stay closed.
            if (Interlocked.CompareExchange(ref _state, (int)ViewerSessionState.Live, (int)ViewerSessionState.Connecting)
                != (int)ViewerSessionState.Connecting) return;
            _room.AddViewer(this);
            // A Close between the two lines removed a viewer that was not yet added: remove it now.
            if (State == ViewerSessionState.Closed) _room.RemoveViewer(this);
            else LogLive(Room, Id, profile.ToString(), Remote?.ToString() ?? "?");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (TimeoutException ex)
        {
            // Routine: an offer whose browser never connected (a closed tab, a scanner). One line, no warning.
            LogNotConnected(Room, Id, ex.Message);
            Close(ViewerCloseReason.HandshakeFailed);
        }
        catch (Exception ex)
        {
            LogHandshakeFailed(Room, Id, ex.Message);
            Close(ViewerCloseReason.HandshakeFailed);
        }
    }

    // ---- sender ---------------------------------------------------------------------------------------------

    private async Task SendLoopAsync()
    {
        try
        {
            await _media.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogSenderFailed(Room, Id, ex);
            Close(ViewerCloseReason.ServerStopping);
        }
    }

    // ---- end ------------------------------------------------------------------------------------------------

    /// <summary>Ends the session (idempotent): stops sending, says goodbye over DTLS and frees the port's routes.</summary>
    public void Close(ViewerCloseReason reason)
    {
        if (Interlocked.Exchange(ref _state, (int)ViewerSessionState.Closed) == (int)ViewerSessionState.Closed) return;
        CloseReason = reason;
        _room.RemoveViewer(this);
        _mux.Unregister(this, LocalUfrag);
        _stop.Cancel();
        _media.Stop();
        // Dispose sends close_notify: the browser learns at once rather than by timeout.
        _dtls.Dispose();
        LogClosed(Room, Id, reason.ToString());
        Closed?.Invoke(this, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Viewer {Session} of room {Room} is live ({Profile}) from {Remote}")]
    private partial void LogLive(string room, string session, string profile, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Viewer {Session} of room {Room}: DTLS handshake failed: {Reason}")]
    private partial void LogHandshakeFailed(string room, string session, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Viewer {Session} of room {Room} did not connect: {Reason}")]
    private partial void LogNotConnected(string room, string session, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Viewer {Session} of room {Room}: sender failed")]
    private partial void LogSenderFailed(string room, string session, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Viewer {Session} of room {Room} closed: {Reason}")]
    private partial void LogClosed(string room, string session, string reason);
}
