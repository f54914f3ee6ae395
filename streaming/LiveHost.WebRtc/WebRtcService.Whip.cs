using System.Net;
using System.Security.Cryptography;
using LiveHost.WebRtc.Ice;
using LiveHost.WebRtc.Push;
using LiveHost.WebRtc.Sdp;
using LiveHost.WebRtc.Sessions;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc;

/// <summary>
/// An SDP offer for one WHIP push attempt, and what the session needs once the endpoint answers. <see cref="Gathered"/>
/// holds the attempt's TURN allocations: the caller disposes the offer when the attempt ends.
/// </summary>
public sealed record WhipPushOffer(string Room, string OfferSdp, IceCredentials Local, WhepAnswerParameters Parameters, PushCandidates Gathered) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Gathered.DisposeAsync();
}

/// <summary>
/// WHIP push (RFC 9725) on the same port, certificate and packet rings as WHEP: LiveHost offers, the endpoint answers,
/// and from there the session is a WHEP viewer session (ICE-lite, DTLS server, SRTP from the room's rings) whose
/// "viewer" is the endpoint. Push sessions count against the viewer limits like any viewer. The offer carries the host
/// candidate and, when ICE servers are configured (<see cref="WebRtcOptions.IceServers"/>, or the output's own), a
/// server-reflexive candidate per STUN server and a relay candidate per TURN server (<see cref="PushCandidates"/>):
/// the endpoint's checks reach the shared port directly or through the relay, whichever path works.
/// </summary>
public sealed partial class WebRtcService
{
    /// <summary>
    /// A fresh offer for <paramref name="room"/>, with the candidates gathered from <paramref name="iceServers"/> (null:
    /// <see cref="WebRtcOptions.IceServers"/>), their names resolved by <paramref name="resolve"/> (null: DNS; an output's own
    /// servers go through its address rules). Throws <see cref="InvalidOperationException"/> for an unknown or stopped room.
    /// </summary>
    public async Task<WhipPushOffer> CreatePushOfferAsync(string room, IReadOnlyList<IceServerOptions>? iceServers, CancellationToken cancellationToken,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        if (!_rooms.TryGetValue(room, out var stream)) throw new InvalidOperationException($"unknown room '{room}'");
        if (_stoppedRooms.TryGetValue(room, out var stopped)) throw new InvalidOperationException($"room '{room}' is stopped: {stopped}");
        // The offer owns the gathered candidates (their TURN allocations) from here; until it exists, a failure releases them.
#pragma warning disable CA2000 // ownership passes to the WhipPushOffer returned, which the output disposes
        var gathered = await PushCandidates.GatherAsync(iceServers ?? _options.IceServers, _mux, new IPEndPoint(_announced, _mux.LocalEndPoint.Port),
            TimeSpan.FromSeconds(_options.IceGatherTimeoutSeconds), _time, resolve, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA2000
        try
        {
            var local = IceCredentials.Generate();
            var parameters = LocalParameters(room, stream, local, gathered.Candidates);
            return new WhipPushOffer(room, WhipOffer.Create(parameters), local, parameters, gathered);
        }
        catch
        {
            await gathered.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the push session from the endpoint's answer, after letting the answer's candidates use the offer's relays.
    /// Throws <see cref="ArgumentException"/> saying what is wrong with an unusable answer, <see cref="InvalidOperationException"/>
    /// when the room is gone or the server is full.
    /// </summary>
    public async Task<ViewerSession> StartPushAsync(WhipPushOffer offer, string answerSdp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (!WhipOffer.TryAccept(offer.OfferSdp, answerSdp, offer.Parameters, out var negotiation, out var error)) throw new ArgumentException(error);
        if (offer.Gathered.Relays.Count > 0) await offer.Gathered.PermitAsync(WhipOffer.CandidateAddresses(answerSdp), cancellationToken).ConfigureAwait(false);
        if (!_rooms.TryGetValue(offer.Room, out var stream)) throw new InvalidOperationException($"unknown room '{offer.Room}'");
        ViewerSession session;
        lock (_admission)
        {
            if (_stoppedRooms.TryGetValue(offer.Room, out var stopped)) throw new InvalidOperationException($"room '{offer.Room}' is stopped: {stopped}");
            if (_sessions.Count >= _options.MaxViewersTotal) throw new InvalidOperationException($"this server is at its limit of {_options.MaxViewersTotal} sessions");
            var id = "whip-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
            session = new ViewerSession(id, stream, negotiation!, offer.Local, _certificate, _mux, _options, _time, _loggers.CreateLogger<ViewerSession>());
            session.Closed += OnClosed;
            _sessions[id] = session;
        }
        session.Start();
        return session;
    }
}
