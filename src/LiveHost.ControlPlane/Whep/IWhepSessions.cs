namespace LiveHost.ControlPlane;

/// <summary>
/// The WebRTC egress as WHEP sees it. The host registers one; without it the WHEP endpoints answer 503, so the
/// control plane still runs alone in tests.
/// </summary>
public interface IWhepSessions
{
    /// <summary>When true, POST /whep/{room} needs a key (any role; viewer is the least).</summary>
    bool RequireViewerKey { get; }

    WhepSessionResult Create(string room, string offerSdp);

    bool Delete(string room, string sessionId);

    bool Exists(string room, string sessionId);
}

public enum WhepSessionStatus
{
    Created,
    UnknownRoom,
    BadOffer,
    Full,
    /// <summary>The room was stopped for good (e.g. its avatar's consent was withdrawn): 409 with the reason.</summary>
    Stopped,
}

public sealed record WhepSessionResult(WhepSessionStatus Status, string? SessionId, string? AnswerSdp, string? Error);
