using System.Net;
using System.Net.Http.Headers;
using LiveHost.Rtmp;
using LiveHost.Rtmp.Network;
using LiveHost.WebRtc;
using LiveHost.WebRtc.Sessions;

namespace LiveHost.Host.Outputs.Whip;

/// <summary>
/// One WHIP push (RFC 9725) of a room, kept up with backoff. Each attempt: POST an SDP offer (<c>application/sdp</c>,
/// Bearer token) to the endpoint, expect <c>201 Created</c> with a <c>Location</c> and the answer, run the session
/// (ICE-lite, DTLS, SRTP from the room's one encode, as WHEP does), and when it ends (the endpoint closed DTLS, its
/// consent checks stopped, no RTCP for <see cref="PeerSilenceTimeout"/>, the handshake failed) DELETE the Location and
/// try again after a backoff of 0.5 s doubling to 3 s, reset once a session has sent media. Removing the output ends the session and DELETEs the Location.
/// <code>
///   connecting ──201 + session live──▶ live ──session ends──▶ retrying ──backoff──▶ connecting
///        └──── refused / unreachable / bad answer ────────────────────▶ retrying
/// </code>
/// </summary>
public sealed partial class WhipOutput : IAsyncDisposable
{
    private readonly WhipUrl _url;
    private readonly string _room;
    private readonly WebRtcService _webRtc;
    private readonly HttpClient _http;
    private readonly OutputAddressPolicy _addresses;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ExponentialBackoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), new Random());

    /// <summary>
    /// A live session whose endpoint sent no RTCP for this long is taken as gone (a WebRTC receiver reports about every
    /// second; aiortc and browsers do), so a killed endpoint is noticed in seconds, not at the 30 s consent timeout.
    /// </summary>
    public static readonly TimeSpan PeerSilenceTimeout = TimeSpan.FromSeconds(3);
    private Task _run = Task.CompletedTask;
    private ViewerSession? _session;
    private Uri? _location;
    private long _connects;

    public WhipOutput(string id, WhipUrl url, string room, WebRtcService webRtc, HttpClient http, OutputAddressPolicy addresses, TimeProvider time, ILogger logger)
    {
        Id = id;
        _url = url;
        _room = room;
        _webRtc = webRtc;
        _http = http;
        _addresses = addresses;
        _time = time;
        _logger = logger;
    }

    public string Id { get; }
    public string MaskedUrl => _url.Masked;
    public long Connects => Interlocked.Read(ref _connects);
    public string? LastError { get; private set; }

    public string Status => _stop.IsCancellationRequested ? "stopped"
        : _session is { State: ViewerSessionState.Live } ? "live"
        : _session is { State: ViewerSessionState.Connecting } ? "connecting"
        : _backoff.Failures > 0 ? "retrying" : "connecting";

    /// <summary>The live session's counters (packets sent), for tests and metrics; null between sessions.</summary>
    public ViewerSession? Session => _session;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await AttemptAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or ArgumentException or System.Net.Sockets.SocketException)
            {
                LastError = e.Message;
                LogAttemptFailed(_room, Id, e.Message);
            }
            finally
            {
                // Whatever ended the attempt (the session, an unusable answer, the output's removal): end it at the endpoint too.
                if (_location is { } location)
                {
                    _location = null;
                    await DeleteAsync(location);
                }
            }
            if (cancellationToken.IsCancellationRequested) break;
            try
            {
                await Task.Delay(_backoff.NextDelay(), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One offer/answer and session, until the session ends; the endpoint's Location for it is left in <see cref="_location"/>.</summary>
    private async Task AttemptAsync(CancellationToken cancellationToken)
    {
        await _addresses.ResolveAllowedAsync(_url.Endpoint.Host, cancellationToken);
        var offer = _webRtc.CreatePushOffer(_room);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url.Endpoint) { Content = new StringContent(offer.OfferSdp) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        if (_url.BearerToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var response = await _http.SendAsync(request, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"the WHIP endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}, not 201: {Trim(body)}");
        if (response.Headers.Location is not { } location) throw new InvalidOperationException("the WHIP endpoint's 201 has no Location header");
        _location = location.IsAbsoluteUri ? location : new Uri(_url.Endpoint, location);
        ViewerSession session;
        try
        {
            session = _webRtc.StartPush(offer, body);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            LastError = e.Message;
            LogAttemptFailed(_room, Id, e.Message);
            return;
        }
        var ended = new TaskCompletionSource<ViewerCloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Closed += (_, reason) => ended.TrySetResult(reason);
        if (session.State == ViewerSessionState.Closed) ended.TrySetResult(session.CloseReason ?? ViewerCloseReason.PeerClosed);
        _session = session;
        Interlocked.Increment(ref _connects);
        LogSessionStarted(_room, Id, MaskedUrl);
        try
        {
            var reason = await WaitForEndAsync(session, ended.Task, cancellationToken);
            if (session.Counters.PacketsSent > 0) _backoff.Reset();
            LastError = $"the session ended: {reason}";
            LogSessionEnded(_room, Id, reason.ToString());
        }
        finally
        {
            session.Close(ViewerCloseReason.Deleted);
            _session = null;
        }
    }

    /// <summary>Until the session closes, or its endpoint has been silent (no RTCP) for <see cref="PeerSilenceTimeout"/> once live.</summary>
    private async Task<ViewerCloseReason> WaitForEndAsync(ViewerSession session, Task<ViewerCloseReason> ended, CancellationToken cancellationToken)
    {
        var lastRtcp = session.Counters.RtcpReceived;
        var lastHeard = _time.GetTimestamp();
        while (true)
        {
            var tick = Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
            if (await Task.WhenAny(ended, tick) == ended) return await ended;
            await tick;
            var rtcp = session.Counters.RtcpReceived;
            if (session.State == ViewerSessionState.Live) LastError = null; // as RTMP outputs: lastError is null while live
            if (rtcp != lastRtcp || session.State != ViewerSessionState.Live)
            {
                lastRtcp = rtcp;
                lastHeard = _time.GetTimestamp();
            }
            else if (_time.GetElapsedTime(lastHeard) >= PeerSilenceTimeout)
            {
                return ViewerCloseReason.ConsentExpired;
            }
        }
    }

    private async Task DeleteAsync(Uri location)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, location);
            if (_url.BearerToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await _http.SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            LogDeleteFailed(_room, Id, e.Message);
        }
    }

    private static string Trim(string body) => body.Length <= 200 ? body.Trim() : body[..200].Trim() + "...";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Room {Room} WHIP output {Id} pushes to {Url}")]
    private partial void LogSessionStarted(string room, string id, string url);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "Room {Room} WHIP output {Id}: {Error}; retrying with backoff")]
    private partial void LogAttemptFailed(string room, string id, string error);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Room {Room} WHIP output {Id}: the session ended ({Reason}); reconnecting")]
    private partial void LogSessionEnded(string room, string id, string reason);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Warning, Message = "Room {Room} WHIP output {Id}: DELETE of the session failed: {Error}")]
    private partial void LogDeleteFailed(string room, string id, string error);
}
