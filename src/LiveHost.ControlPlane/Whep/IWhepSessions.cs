using System.Net;

namespace LiveHost.ControlPlane;

/// <summary>
/// The WebRTC egress as WHEP sees it. The host registers one; without it the WHEP endpoints answer 503, so the
/// control plane still runs alone in tests.
/// </summary>
public interface IWhepSessions
{
    /// <summary>When true, POST /whep/{room} needs a key (any role; viewer is the least).</summary>
    bool RequireViewerKey { get; }

    /// <summary>
    /// The per-address rate limit of POST /whep, asked before the offer is read: false, with when to retry, once
    /// <paramref name="client"/> has spent its allowance.
    /// </summary>
    bool TryAdmitPost(IPAddress? client, out TimeSpan retryAfter);

    /// <param name="client">Where the POST came from: pending sessions are capped per address.</param>
    WhepSessionResult Create(string room, string offerSdp, IPAddress? client);

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

/// <param name="RetryAfter">With <see cref="WhepSessionStatus.Full"/>: when to try again (null: 10 s).</param>
public sealed record WhepSessionResult(WhepSessionStatus Status, string? SessionId, string? AnswerSdp, string? Error, TimeSpan? RetryAfter = null);
