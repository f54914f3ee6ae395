using System.Net;
using System.Net.Http.Headers;
using LiveHost.Rtmp;
using LiveHost.WebRtc;
using LiveHost.WebRtc.Push;
using LiveHost.WebRtc.Sessions;

namespace LiveHost.Host.Outputs.Whip;

/// <summary>
/// One WHIP push (RFC 9725) of a room, supervised like every output kind (<see cref="SupervisedOutput"/>: state,
/// backoff, pause/resume, bitrate, last error). One connection: gather candidates from the ICE servers
/// (<see cref="PushCandidates"/>), POST the SDP offer (<c>application/sdp</c>, Bearer token) to the endpoint, expect
/// <c>201 Created</c> with a <c>Location</c> and the answer, run the session (ICE-lite, DTLS, SRTP from the room's one
/// encode, as WHEP does) until it ends: the endpoint closed DTLS, its consent checks stopped, no RTCP for
/// <see cref="PeerSilenceTimeout"/>, or the handshake failed. Its end (failure, pause, removal) DELETEs the Location and
/// releases the TURN allocations. Pausing therefore ends the session at the endpoint; resuming makes a new offer.
/// <code>
///   connecting ──201, ICE + DTLS done──▶ live ──session ends──▶ retrying ──backoff (0.5 s doubling to 3 s)──▶ connecting
///        └──── refused / unreachable / bad answer / never connected ──────▶ retrying
///   (any) ──pause──▶ paused (DELETE sent) ──resume──▶ connecting
/// </code>
/// </summary>
public sealed partial class WhipOutput : SupervisedOutput
{
    /// <summary>The longest backoff between attempts: an endpoint that restarts is pushed to again within seconds.</summary>
    public static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A live session whose endpoint sent no RTCP for this long is taken as gone (a WebRTC receiver reports about every
    /// second; aiortc and browsers do), so a killed endpoint is noticed in seconds, not at the 30 s consent timeout.
    /// </summary>
    public static readonly TimeSpan PeerSilenceTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly WhipUrl _url;
    private readonly string _room;
    private readonly WebRtcService _webRtc;
    private HttpClient? _http;
    private WhipPushOffer? _offer;
    private ViewerSession? _session;
    private Uri? _location;
    private long _bytesSentBefore;

    public WhipOutput(string id, WhipUrl url, string room, WebRtcService webRtc, RtmpOutputOptions options, ILogger logger, TimeProvider timeProvider)
        : base("WHIP", id, url.Masked, options, logger, timeProvider)
    {
        _url = url;
        _room = room;
        _webRtc = webRtc;
    }

    /// <summary>This output's own STUN/TURN servers (resolved under the output address rules); null: <c>WebRtc:IceServers</c>.</summary>
    public IReadOnlyList<IceServerOptions>? IceServers { get; init; }

    public override long BytesSent => Interlocked.Read(ref _bytesSentBefore) + (Volatile.Read(ref _session)?.Counters.BytesSent ?? 0);

    /// <summary>The live session (its counters), for tests; null between sessions.</summary>
    public ViewerSession? Session => Volatile.Read(ref _session);

    /// <summary>The current attempt's gathered candidates and TURN allocations, for tests; null between attempts.</summary>
    public PushCandidates? Candidates => Volatile.Read(ref _offer)?.Gathered;

    protected override async Task RunConnectionAsync(CancellationToken ending)
    {
        await Options.Addresses.ResolveAllowedAsync(_url.Endpoint.Host, ending);
#pragma warning disable CA2000 // the client owns its handler (disposeHandler) and is disposed when the connection ends
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        var offer = await _webRtc.CreatePushOfferAsync(_room, IceServers, ending, IceServers is null ? null : Options.Addresses.ResolveAllowedAsync);
        Volatile.Write(ref _offer, offer);
        foreach (var problem in offer.Gathered.Problems) LogGatherProblem(Logger, _room, Id, problem);

        using var request = new HttpRequestMessage(HttpMethod.Post, _url.Endpoint) { Content = new StringContent(offer.OfferSdp) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        Authorize(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ending);
        timeout.CancelAfter(Options.ConnectTimeout);
        using var response = await _http.SendAsync(request, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"the WHIP endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}, not 201: {Trim(body)}");
        if (response.Headers.Location is not { } location) throw new InvalidOperationException("the WHIP endpoint's 201 has no Location header");
        _location = location.IsAbsoluteUri ? location : new Uri(_url.Endpoint, location);

        var session = await _webRtc.StartPushAsync(offer, body, ending);
        var ended = new TaskCompletionSource<ViewerCloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Closed += (_, reason) => ended.TrySetResult(reason);
        if (session.State == ViewerSessionState.Closed) ended.TrySetResult(session.CloseReason ?? ViewerCloseReason.PeerClosed);
        Volatile.Write(ref _session, session);
        await RunSessionAsync(session, ended.Task, offer.Gathered, ending);
    }

    /// <summary>Marks the output live once ICE and DTLS are done, then meters it until the session ends (a failure) or <paramref name="ending"/>.</summary>
    private async Task RunSessionAsync(ViewerSession session, Task<ViewerCloseReason> ended, PushCandidates gathered, CancellationToken ending)
    {
        var live = false;
        var lastRtcp = session.Counters.RtcpReceived;
        var lastHeard = TimeProvider.GetTimestamp();
        while (true)
        {
            var tick = Task.Delay(Tick, TimeProvider, ending);
            if (await Task.WhenAny(ended, tick) == ended)
            {
                var reason = await ended;
                if (live) throw new InvalidOperationException($"the session ended: {reason}");
                var problems = gathered.Problems.Count == 0 ? "" : "; ICE servers: " + string.Join("; ", gathered.Problems);
                throw new InvalidOperationException($"the session never connected ({reason}: ICE or DTLS did not complete){problems}");
            }
            try
            {
                await tick;
            }
            catch (OperationCanceledException) when (ending.IsCancellationRequested)
            {
                return; // paused or removed: EndConnectionAsync DELETEs the session
            }
            if (!live)
            {
                if (session.State != ViewerSessionState.Live) continue;
                live = true;
                MarkLive(BytesSent);
                LogSessionLive(Logger, _room, Id, MaskedUrl, session.Remote?.ToString() ?? "?", gathered.Relays.Count > 0 && gathered.Relayed.FromPeers > 0);
                lastHeard = TimeProvider.GetTimestamp();
                continue;
            }
            Bitrate.Record(BytesSent);
            var rtcp = session.Counters.RtcpReceived;
            if (rtcp != lastRtcp)
            {
                lastRtcp = rtcp;
                lastHeard = TimeProvider.GetTimestamp();
            }
            else if (TimeProvider.GetElapsedTime(lastHeard) >= PeerSilenceTimeout)
            {
                throw new InvalidOperationException($"the endpoint sent no RTCP for {PeerSilenceTimeout.TotalSeconds:0} s (gone)");
            }
        }
    }

    protected override async ValueTask EndConnectionAsync()
    {
        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            session.Close(ViewerCloseReason.Deleted);
            Interlocked.Add(ref _bytesSentBefore, session.Counters.BytesSent);
        }
        // Whatever ended the attempt (the session, an unusable answer, a pause, the output's removal): end it at the endpoint too.
        if (_location is { } location && _http is { } http)
        {
            _location = null;
            await DeleteAsync(http, location);
        }
        if (Interlocked.Exchange(ref _offer, null) is { } offer) await offer.DisposeAsync();
        _http?.Dispose();
        _http = null;
    }

    protected override ValueTask AbortConnectionAsync()
    {
        Volatile.Read(ref _session)?.Close(ViewerCloseReason.ServerStopping);
        return ValueTask.CompletedTask;
    }

    protected override string Scrub(string text) =>
        _url.BearerToken is { Length: > 0 } token ? text.Replace(token, "****", StringComparison.Ordinal) : text;

    private void Authorize(HttpRequestMessage request)
    {
        if (_url.BearerToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task DeleteAsync(HttpClient http, Uri location)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, location);
            Authorize(request);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), TimeProvider);
            using var response = await http.SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            LogDeleteFailed(Logger, _room, Id, Scrub(e.Message));
        }
    }

    private static string Trim(string body) => body.Length <= 200 ? body.Trim() : body[..200].Trim() + "...";

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Room {Room} WHIP output {Id} is live at {Url} (endpoint {Remote}, through a TURN relay: {Relayed})")]
    private static partial void LogSessionLive(ILogger logger, string room, string id, string url, string remote, bool relayed);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "Room {Room} WHIP output {Id}: candidate gathering: {Problem}")]
    private static partial void LogGatherProblem(ILogger logger, string room, string id, string problem);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Warning, Message = "Room {Room} WHIP output {Id}: DELETE of the session failed: {Error}")]
    private static partial void LogDeleteFailed(ILogger logger, string room, string id, string error);
}
