using System.Net;
using LiveHost.ControlPlane;
using LiveHost.WebRtc;

namespace LiveHost.Host.WebRtc;

/// <summary>The control plane's WHEP endpoints over this process's <see cref="WebRtcService"/>.</summary>
public sealed class WhepSessions(WebRtcService service, WebRtcOptions options) : IWhepSessions
{
    public bool RequireViewerKey => options.RequireViewerKey;

    public bool TryAdmitPost(IPAddress? client, out TimeSpan retryAfter) => service.TryAdmitPost(client, out retryAfter);

    public WhepSessionResult Create(string room, string offerSdp, IPAddress? client)
    {
        var result = service.CreateSession(room, offerSdp, client);
        var status = result.Status switch
        {
            WhepStatus.Created => WhepSessionStatus.Created,
            WhepStatus.UnknownRoom => WhepSessionStatus.UnknownRoom,
            WhepStatus.RoomFull or WhepStatus.ServerFull or WhepStatus.TooManyPending => WhepSessionStatus.Full,
            WhepStatus.RoomStopped => WhepSessionStatus.Stopped,
            _ => WhepSessionStatus.BadOffer,
        };
        return new WhepSessionResult(status, result.SessionId, result.AnswerSdp, result.Error, result.RetryAfter);
    }

    public bool Delete(string room, string sessionId) => service.CloseSession(room, sessionId);

    public bool Exists(string room, string sessionId) => service.FindSession(sessionId) is { } s && s.Room == room;
}
