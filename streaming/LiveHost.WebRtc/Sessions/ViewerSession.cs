using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using LiveHost.WebRtc.Dtls;
using LiveHost.WebRtc.Ice;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Rtp.Rtcp;
using LiveHost.WebRtc.Rtp.Timing;
using LiveHost.WebRtc.Sdp;
using LiveHost.WebRtc.Srtp;
using LiveHost.WebRtc.Transport;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc.Sessions;

/// <summary>
/// One browser watching one room: ICE-lite consent, the DTLS-SRTP handshake, and a sender that reads the room's
/// packet rings, encrypts for this viewer only and sends. The receive thread hands it STUN, DTLS and SRTCP; it only
/// ever queues work for the sender, so a viewer can never hold up the port, the room or another viewer. A viewer
/// that falls more than its queue behind is cut forward to live (video from the next keyframe), with the skipped
/// packets counted.
/// </summary>
public sealed partial class ViewerSession : IDatagramHandler, IRoomViewer
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeyframeRequestInterval = TimeSpan.FromMilliseconds(500);

    private readonly WebRtcRoomStream _room;
    private readonly WhepNegotiation _negotiation;
    private readonly UdpMux _mux;
    private readonly WebRtcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IceLiteAgent _agent;
    private readonly DtlsSrtpServer _dtls;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly ConcurrentQueue<ushort> _nacks = new();
    private readonly byte[] _stunResponse = new byte[256];
    private readonly byte[] _rtcpIn = new byte[1500];
    private readonly ViewerPacketSender _packets;
    private readonly CancellationTokenSource _stop = new();
    private readonly byte _videoPayloadType;
    private readonly byte _audioPayloadType;
    private SrtpContext? _srtpOut;
    private SrtpContext? _srtpIn;
    private volatile SocketAddress? _remote;
    private readonly RingCursor _video;
    private readonly RingCursor _audio;
    private long _videoPacketsSent, _videoOctetsSent, _audioPacketsSent, _audioOctetsSent;
    private long _lastReport;
    private long _lastKeyframeRequest;
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
        _options = options;
        _time = time;
        _logger = logger;
        _packets = new ViewerPacketSender(mux, Counters, options.SimulatedSendLossPercent);
        _video = new RingCursor(room.Video, options.ViewerQueuePackets, startAtKeyframe: true);
        _audio = new RingCursor(room.Audio, options.ViewerQueuePackets, startAtKeyframe: false);
        _videoPayloadType = (byte)negotiation.Video.PayloadType;
        _audioPayloadType = (byte)negotiation.Audio.PayloadType;
        CreatedAt = time.GetUtcNow();
        var remoteIce = new IceCredentials(negotiation.RemoteIceUfrag, negotiation.RemoteIcePassword);
        _agent = new IceLiteAgent(local, remoteIce, time, new IceLiteOptions { ConsentTimeout = TimeSpan.FromSeconds(options.ConsentTimeoutSeconds) });
        var expected = DtlsFingerprint.Parse(negotiation.RemoteFingerprint.Algorithm + " " + negotiation.RemoteFingerprint.Value);
        _dtls = new DtlsSrtpServer(certificate, expected, SendDtls, logger,
            new DtlsSrtpServerOptions { HandshakeTimeout = TimeSpan.FromSeconds(options.HandshakeTimeoutSeconds) }, time);
        // Raised on the DTLS thread, which Close would wait for when disposing: finish the close elsewhere.
        _dtls.Closed += (_, _) => ThreadPool.QueueUserWorkItem(_ => Close(ViewerCloseReason.PeerClosed));
    }

    public string Id { get; }
    public string Room => _room.Room;
    public string LocalUfrag => _agent.Local.Ufrag;
    public DateTimeOffset CreatedAt { get; }
    public ViewerSessionState State => (ViewerSessionState)Volatile.Read(ref _state);
    public ViewerCloseReason? CloseReason { get; private set; }
    public ViewerCounters Counters { get; } = new();
    public IPEndPoint? Remote => _agent.SelectedRemote;

    /// <summary>True when the browser stopped its consent checks for longer than the timeout (it is gone).</summary>
    public bool ConsentExpired => _agent.IsConsentExpired;

    /// <summary>Raised once when the session ends, for the registry to forget it.</summary>
    public event Action<ViewerSession, ViewerCloseReason>? Closed;

    public void Start()
    {
        _mux.RegisterUfrag(LocalUfrag, this);
        _sender = Task.Run(() => SendLoopAsync(_stop.Token));
        _handshake = Task.Run(() => HandshakeAsync(_stop.Token));
    }

    public void PacketsAvailable() => _wake.Writer.TryWrite(true);

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
                if (_remote is not null) _dtls.Receive(datagram);
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
            && (_remote is null || !_remote.Equals(from)))
        {
            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
            _remote = copy;
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
                    RequestKeyframeThrottled();
                    break;
                case RtcpPacketKind.GenericNack:
                    if (packet.MediaSsrc != _room.VideoSsrc && packet.MediaSsrc != _room.AudioSsrc) break;
                    Interlocked.Increment(ref Counters.NackField);
                    foreach (var sequence in packet.LostSequenceNumbers)
                    {
                        if (_nacks.Count < 512) _nacks.Enqueue(sequence);
                    }
                    wake = true;
                    break;
            }
        }
        if (reader.IsMalformed) Interlocked.Increment(ref Counters.RtcpRejectedField);
        if (wake) PacketsAvailable();
    }

    private void SendDtls(ReadOnlySpan<byte> datagram)
    {
        if (_remote is { } remote) _mux.Send(datagram, remote);
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
            var head = _room.Video.Head;
            // Start from the current keyframe when it is recent (a quick first picture without a long catch-up
            // burst), else from the next one.
            var earliestKeyframe = Math.Max(0, head - _options.ViewerQueuePackets / 2);
            _video.Join(earliestKeyframe);
            _audio.Join(0);
            Volatile.Write(ref _state, (int)ViewerSessionState.Live);
            _room.AddViewer(this);
            if (_room.Video.LastKeyframeStart < earliestKeyframe) RequestKeyframeThrottled();
            LogLive(Room, Id, profile.ToString(), Remote?.ToString() ?? "?");
            PacketsAvailable();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogHandshakeFailed(Room, Id, ex.Message);
            Close(ViewerCloseReason.HandshakeFailed);
        }
    }

    // ---- sender ---------------------------------------------------------------------------------------------

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            // No token here: with one the channel allocates a waiter per wake; Close completes the channel instead.
            while (await _wake.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                if (State != ViewerSessionState.Live || _srtpOut is not { } srtp || _remote is not { } remote) continue;
                SendRetransmissions(srtp, remote);
                DrainVideo(srtp, remote);
                DrainAudio(srtp, remote);
                MaybeSendReports(srtp, remote);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogSenderFailed(Room, Id, ex);
            Close(ViewerCloseReason.ServerStopping);
        }
    }

    private void DrainVideo(SrtpContext srtp, SocketAddress remote)
    {
        while (true)
        {
            if (_video.TryNext(_packets.Buffer, out var length, out var skipped))
            {
                if (skipped > 0) CountDropped(skipped); // jumped ahead to a newer keyframe: no request needed
                SendMedia(srtp, remote, length, _videoPayloadType, ref _videoPacketsSent, ref _videoOctetsSent);
                continue;
            }
            if (skipped > 0)
            {
                // Too far behind: skipped to live; the picture resumes cleanly at the next keyframe.
                CountDropped(skipped);
                RequestKeyframeThrottled();
            }
            return;
        }
    }

    private void DrainAudio(SrtpContext srtp, SocketAddress remote)
    {
        while (true)
        {
            if (_audio.TryNext(_packets.Buffer, out var length, out var skipped))
            {
                SendMedia(srtp, remote, length, _audioPayloadType, ref _audioPacketsSent, ref _audioOctetsSent);
                continue;
            }
            if (skipped > 0) CountDropped(skipped);
            return;
        }
    }

    private void SendMedia(SrtpContext srtp, SocketAddress remote, int length, byte payloadType, ref long packets, ref long octets)
    {
        if (!_packets.SendMedia(length, payloadType, srtp, remote, ref packets, ref octets)) CountDropped(1);
    }

    private void CountDropped(long packets)
    {
        Interlocked.Add(ref Counters.PacketsDroppedField, packets);
        _room.CountViewerDrops(packets);
    }

    private void SendRetransmissions(SrtpContext srtp, SocketAddress remote)
    {
        while (_nacks.TryDequeue(out var sequence))
        {
            RtpPacketRing ring;
            byte payloadType;
            if (_room.Video.TryFindSequence(sequence, out var index)) { ring = _room.Video; payloadType = _videoPayloadType; }
            else if (_room.Audio.TryFindSequence(sequence, out index)) { ring = _room.Audio; payloadType = _audioPayloadType; }
            else continue;
            if (!_packets.TryCopy(ring, index, out var length)) continue;
            long ignoredPackets = 0, ignoredOctets = 0;
            SendMedia(srtp, remote, length, payloadType, ref ignoredPackets, ref ignoredOctets);
            Interlocked.Increment(ref Counters.RetransmissionsField);
        }
    }

    private void MaybeSendReports(SrtpContext srtp, SocketAddress remote)
    {
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastReport, now) < ReportInterval || !_room.Clock.IsAnchored) return;
        _lastReport = now;
        var ntp = NtpTimestamp.FromDateTimeOffset(_time.GetUtcNow());
        var (videoRtp, audioRtp) = _room.RtpTimestampsNow();
        if (_videoPacketsSent > 0) SendReport(srtp, remote, new RtcpSenderReport(_room.VideoSsrc, ntp, videoRtp, (uint)_videoPacketsSent, (uint)_videoOctetsSent));
        if (_audioPacketsSent > 0) SendReport(srtp, remote, new RtcpSenderReport(_room.AudioSsrc, ntp, audioRtp, (uint)_audioPacketsSent, (uint)_audioOctetsSent));
    }

    private void SendReport(SrtpContext srtp, SocketAddress remote, RtcpSenderReport report)
    {
        var length = report.WriteCompoundWithCname(_packets.Buffer, _room.CName);
        _packets.SendRtcp(length, srtp, remote);
    }

    private void RequestKeyframeThrottled()
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastKeyframeRequest);
        if (last != 0 && Stopwatch.GetElapsedTime(last, now) < KeyframeRequestInterval) return;
        Interlocked.Exchange(ref _lastKeyframeRequest, now);
        _room.RequestKeyframe();
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
        _wake.Writer.TryComplete();
        // Dispose sends close_notify: the browser learns at once rather than by timeout.
        _dtls.Dispose();
        LogClosed(Room, Id, reason.ToString());
        Closed?.Invoke(this, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Viewer {Session} of room {Room} is live ({Profile}) from {Remote}")]
    private partial void LogLive(string room, string session, string profile, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Viewer {Session} of room {Room}: DTLS handshake failed: {Reason}")]
    private partial void LogHandshakeFailed(string room, string session, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Viewer {Session} of room {Room}: sender failed")]
    private partial void LogSenderFailed(string room, string session, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Viewer {Session} of room {Room} closed: {Reason}")]
    private partial void LogClosed(string room, string session, string reason);
}
