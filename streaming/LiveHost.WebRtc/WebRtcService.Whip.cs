using System.Security.Cryptography;
using LiveHost.WebRtc.Ice;
using LiveHost.WebRtc.Sdp;
using LiveHost.WebRtc.Sessions;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc;

/// <summary>An SDP offer for one WHIP push attempt, and what the session needs once the endpoint answers.</summary>
public sealed record WhipPushOffer(string Room, string OfferSdp, IceCredentials Local, WhepAnswerParameters Parameters);

/// <summary>
/// WHIP push (RFC 9725) on the same port, certificate and packet rings as WHEP: LiveHost offers, the endpoint answers,
/// and from there the session is a WHEP viewer session (ICE-lite, DTLS server, SRTP from the room's rings) whose
/// "viewer" is the endpoint. Push sessions count against the viewer limits like any viewer.
/// </summary>
public sealed partial class WebRtcService
{
    /// <summary>A fresh offer for <paramref name="room"/>; throws <see cref="InvalidOperationException"/> for an unknown or stopped room.</summary>
    public WhipPushOffer CreatePushOffer(string room)
    {
        if (!_rooms.TryGetValue(room, out var stream)) throw new InvalidOperationException($"unknown room '{room}'");
        if (_stoppedRooms.TryGetValue(room, out var stopped)) throw new InvalidOperationException($"room '{room}' is stopped: {stopped}");
        var local = IceCredentials.Generate();
        var parameters = LocalParameters(room, stream, local);
        return new WhipPushOffer(room, WhipOffer.Create(parameters), local, parameters);
    }

    /// <summary>
    /// Starts the push session from the endpoint's answer. Throws <see cref="ArgumentException"/> saying what is wrong
    /// with an unusable answer, <see cref="InvalidOperationException"/> when the room is gone or the server is full.
    /// </summary>
    public ViewerSession StartPush(WhipPushOffer offer, string answerSdp)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (!WhipOffer.TryAccept(offer.OfferSdp, answerSdp, offer.Parameters, out var negotiation, out var error)) throw new ArgumentException(error);
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
