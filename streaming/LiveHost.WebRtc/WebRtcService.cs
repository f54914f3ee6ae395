using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using LiveHost.Media;
using LiveHost.WebRtc.Admission;
using LiveHost.WebRtc.Dtls;
using LiveHost.WebRtc.Ice;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Sdp;
using LiveHost.WebRtc.Sessions;
using LiveHost.WebRtc.Transport;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc;

/// <summary>
/// The WebRTC egress of the whole server: one UDP port, one certificate, a packet stream per room and the viewer
/// sessions. WHEP calls <see cref="CreateSession"/> and <see cref="CloseSession"/>; a watchdog drops viewers whose
/// consent checks stopped (RFC 7675) or whose handshake never finished.
/// </summary>
public sealed partial class WebRtcService : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _stoppedRooms = new(StringComparer.Ordinal);
    private readonly WebRtcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<WebRtcService> _logger;
    private readonly ConcurrentDictionary<string, WebRtcRoomStream> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ViewerSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _closedByReason = new(StringComparer.Ordinal);
    private readonly Lock _admission = new();
    private readonly DtlsCertificate _certificate;
    private readonly UdpMux _mux;
    private readonly IPAddress _announced;
    private readonly ITimer _watchdog;
    private readonly AddressRateLimiter _posts;
    private long _refused;

    public WebRtcService(WebRtcOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<WebRtcService>();
        _certificate = DtlsCertificate.Generate(time);
        _mux = new UdpMux(new IPEndPoint(IPAddress.Parse(options.BindAddress), options.UdpPort), loggers.CreateLogger<UdpMux>());
        _announced = AnnouncedAddress(options);
        _posts = new AddressRateLimiter(options.WhepPostBurstPerAddress, options.WhepPostsPerMinutePerAddress, time);
        _watchdog = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        LogListening(_announced.ToString(), _mux.LocalEndPoint.Port, _certificate.Fingerprint);
    }

    public IPEndPoint LocalEndPoint => _mux.LocalEndPoint;
    public string CertificateFingerprint => _certificate.Fingerprint;
    public int ViewerCount => _sessions.Count;
    public long Refused => Interlocked.Read(ref _refused);
    public IReadOnlyDictionary<string, long> ClosedByReason => _closedByReason;
    public UdpMux Transport => _mux;

    /// <summary>Makes a room watchable. Returns its stream, which the room feeds with its audio ticks.</summary>
    public WebRtcRoomStream AddRoom(string room, MediaBroadcaster video, Action requestKeyframe)
    {
        var stream = new WebRtcRoomStream(room, video, requestKeyframe, _options, _loggers.CreateLogger<WebRtcRoomStream>(), _time);
        if (!_rooms.TryAdd(room, stream)) throw new InvalidOperationException($"room '{room}' is already added");
        stream.Start();
        return stream;
    }

    /// <summary>Takes a room out for good (removed at run time): its viewers are ended, its stream disposed, and the name may be added again.</summary>
    public async ValueTask RemoveRoomAsync(string room)
    {
        StopRoom(room, "the room was removed");
        if (_rooms.TryRemove(room, out var stream)) await stream.DisposeAsync().ConfigureAwait(false);
        lock (_admission) _stoppedRooms.TryRemove(room, out _);
    }

    public IReadOnlyCollection<WebRtcRoomStream> Rooms => (IReadOnlyCollection<WebRtcRoomStream>)_rooms.Values;

    public IEnumerable<ViewerSession> Sessions => _sessions.Values;

    public int ViewersOf(string room) => _sessions.Values.Count(s => s.Room == room);

    /// <summary>Sessions not yet connected (ICE and DTLS pending).</summary>
    public int PendingCount => _sessions.Values.Count(s => s.State == ViewerSessionState.Connecting);

    /// <summary>
    /// The per-address rate limit of WHEP POSTs (<see cref="WebRtcOptions.WhepPostBurstPerAddress"/>, refilled at
    /// <see cref="WebRtcOptions.WhepPostsPerMinutePerAddress"/>): false, with when to retry, once the address has spent it.
    /// </summary>
    public bool TryAdmitPost(IPAddress? client, out TimeSpan retryAfter) => _posts.TryAcquire(client, out retryAfter);

    /// <summary>WHEP POST: negotiates the browser's offer and starts a session, or says why not.</summary>
    /// <param name="client">The POST's address: pending sessions are capped per address (IPv6 per /64).</param>
    public WhepResult CreateSession(string room, string offerSdp, IPAddress? client = null)
    {
        if (!_rooms.TryGetValue(room, out var stream)) return WhepResult.Refused(WhepStatus.UnknownRoom, $"unknown room '{room}'");
        if (_stoppedRooms.TryGetValue(room, out var stoppedReason))
            return WhepResult.Refused(WhepStatus.RoomStopped, $"room '{room}' is stopped: {stoppedReason}");
        if (!SessionDescription.TryParse(offerSdp, out var offer, out var parseError))
            return WhepResult.Refused(WhepStatus.BadOffer, "the offer is not valid SDP: " + parseError);

        var local = IceCredentials.Generate();
        var parameters = LocalParameters(room, stream, local);
        if (!WhepAnswer.TryCreate(offer!, parameters, out var negotiation, out var negotiationError))
            return WhepResult.Refused(WhepStatus.BadOffer, negotiationError ?? "the offer cannot be answered");

        ViewerSession session;
        lock (_admission)
        {
            if (_sessions.Count >= _options.MaxViewersTotal)
            {
                Interlocked.Increment(ref _refused);
                return WhepResult.Refused(WhepStatus.ServerFull, $"this server is at its limit of {_options.MaxViewersTotal} viewers");
            }
            if (ViewersOf(room) >= _options.MaxViewersPerRoom)
            {
                Interlocked.Increment(ref _refused);
                return WhepResult.Refused(WhepStatus.RoomFull, $"room '{room}' is at its limit of {_options.MaxViewersPerRoom} viewers");
            }
            if (RefusePending(AddressRateLimiter.Key(client)) is { } pending) return pending;
            var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
            session = new ViewerSession(id, stream, negotiation!, local, _certificate, _mux, _options, _time, _loggers.CreateLogger<ViewerSession>())
            {
                PostedFrom = AddressRateLimiter.Key(client),
            };
            session.Closed += OnClosed;
            _sessions[id] = session;
        }
        session.Start();
        return WhepResult.Created(session.Id, negotiation!.AnswerSdp);
    }

    /// <summary>This server's side of a negotiation: fresh ICE credentials, the certificate, the one host candidate, the room's SSRCs.</summary>
    private WhepAnswerParameters LocalParameters(string room, WebRtcRoomStream stream, IceCredentials local, IReadOnlyList<SdpCandidate>? extra = null) => new()
    {
        ExtraCandidates = extra ?? [],
        IceUfrag = local.Ufrag,
        IcePassword = local.Password,
        DtlsFingerprint = _certificate.Fingerprint,
        CandidateAddress = _announced,
        CandidatePort = _mux.LocalEndPoint.Port,
        VideoSsrc = stream.VideoSsrc,
        AudioSsrc = stream.AudioSsrc,
        CName = stream.CName,
        StreamId = "livehost-" + room,
        PlayoutDelay = _options.SendPlayoutDelay,
    };

    // Under the admission lock. Pending sessions end by the handshake timeout at the latest, so that is when to retry.
    private WhepResult? RefusePending(IPAddress client)
    {
        int total = 0, fromClient = 0;
        foreach (var session in _sessions.Values)
        {
            if (session.State != ViewerSessionState.Connecting) continue;
            total++;
            if (client.Equals(session.PostedFrom)) fromClient++;
        }
        string? error = fromClient >= _options.MaxPendingPerAddress
            ? $"{fromClient} sessions from your address are still connecting (the limit is {_options.MaxPendingPerAddress}); finish or DELETE one, or retry later"
            : total >= _options.MaxPendingTotal
                ? $"{total} sessions are still connecting on this server (the limit is {_options.MaxPendingTotal}); retry later"
                : null;
        if (error is null) return null;
        Interlocked.Increment(ref _refused);
        return WhepResult.Refused(WhepStatus.TooManyPending, error) with { RetryAfter = TimeSpan.FromSeconds(_options.HandshakeTimeoutSeconds) };
    }

    /// <summary>
    /// Ends a room's playback for good: new offers are refused (<see cref="WhepStatus.RoomStopped"/>, with
    /// <paramref name="reason"/>) and every session of the room is closed now (DTLS close_notify to each browser).
    /// Returns how many sessions were closed. Idempotent.
    /// </summary>
    public int StopRoom(string room, string reason)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(reason);
        ViewerSession[] viewers;
        lock (_admission)
        {
            // Under the admission lock: no session of this room can be admitted after the sweep below.
            _stoppedRooms.TryAdd(room, reason);
            viewers = [.. _sessions.Values.Where(s => s.Room == room)];
        }
        foreach (var session in viewers) session.Close(ViewerCloseReason.RoomStopped);
        return viewers.Length;
    }

    /// <summary>WHEP DELETE. False when there is no such session in that room.</summary>
    public bool CloseSession(string room, string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session) || session.Room != room) return false;
        session.Close(ViewerCloseReason.Deleted);
        return true;
    }

    public ViewerSession? FindSession(string sessionId) => _sessions.GetValueOrDefault(sessionId);

    private void OnClosed(ViewerSession session, ViewerCloseReason reason)
    {
        _sessions.TryRemove(session.Id, out _);
        _closedByReason.AddOrUpdate(reason.ToString(), 1, (_, n) => n + 1);
    }

    private void Sweep()
    {
        _posts.Prune();
        var handshakeDeadline = TimeSpan.FromSeconds(_options.HandshakeTimeoutSeconds + 5);
        var now = _time.GetUtcNow();
        foreach (var session in _sessions.Values)
        {
            if (session.ConsentExpired) session.Close(ViewerCloseReason.ConsentExpired);
            else if (session.State == ViewerSessionState.Connecting && now - session.CreatedAt > handshakeDeadline) session.Close(ViewerCloseReason.HandshakeFailed);
        }
    }

    private static IPAddress AnnouncedAddress(WebRtcOptions options)
    {
        if (options.AnnouncedAddress is { } announced) return IPAddress.Parse(announced);
        var bind = IPAddress.Parse(options.BindAddress);
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any)) return bind;
        // A wildcard bind: announce this machine's first non-loopback IPv4 address.
        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
    }

    public async ValueTask DisposeAsync()
    {
        await _watchdog.DisposeAsync().ConfigureAwait(false);
        foreach (var session in _sessions.Values) session.Close(ViewerCloseReason.ServerStopping);
        foreach (var room in _rooms.Values) await room.DisposeAsync().ConfigureAwait(false);
        _mux.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC egress on UDP {Address}:{Port}, certificate {Fingerprint}")]
    private partial void LogListening(string address, int port, string fingerprint);
}
