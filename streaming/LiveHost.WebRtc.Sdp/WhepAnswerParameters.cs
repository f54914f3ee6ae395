using System.Net;

namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// Our side of a WHEP session, as the answer publishes it. The server owns one UDP port for all viewers, so every
/// answer carries the same host candidate; what differs per viewer is the ICE credentials and the SSRCs.
/// </summary>
public sealed class WhepAnswerParameters
{
    /// <summary>Our ICE ufrag for this viewer (from the ICE agent).</summary>
    public required string IceUfrag { get; init; }

    /// <summary>Our ICE password for this viewer.</summary>
    public required string IcePassword { get; init; }

    /// <summary>Our DTLS certificate fingerprint, "sha-256 AB:CD:..." (RFC 8122).</summary>
    public required string DtlsFingerprint { get; init; }

    /// <summary>The address browsers reach the shared UDP port at.</summary>
    public required IPAddress CandidateAddress { get; init; }

    /// <summary>The shared UDP port.</summary>
    public required int CandidatePort { get; init; }

    /// <summary>
    /// Candidates beside the host one, written after it (a WHIP push's server-reflexive and relay candidates, gathered
    /// from the configured STUN and TURN servers); empty for WHEP answers.
    /// </summary>
    public IReadOnlyList<SdpCandidate> ExtraCandidates { get; init; } = [];

    /// <summary>Our SSRC for this viewer's video stream.</summary>
    public required uint VideoSsrc { get; init; }

    /// <summary>Our SSRC for this viewer's audio stream.</summary>
    public required uint AudioSsrc { get; init; }

    /// <summary>RTCP CNAME; the same for audio and video so the browser lip-syncs them (RFC 7022).</summary>
    public required string CName { get; init; }

    /// <summary>The MediaStream id the browser groups both tracks under (a=msid, RFC 8830); e.g. the room name.</summary>
    public string StreamId { get; init; } = "livehost";

    /// <summary>
    /// Answer the playout-delay header extension (<see cref="WhepAnswer.PlayoutDelayUri"/>) on video when the offer
    /// has it, so the sender may bound the browser's jitter buffer; false: never (the sender sends no such extension).
    /// </summary>
    public bool PlayoutDelay { get; init; }

    /// <summary>The o= session id; 0 picks a random one. Fixed values make answers reproducible in tests.</summary>
    public ulong SessionId { get; init; }
}

/// <summary>
/// A non-host ICE candidate (RFC 8839 §5.1): <paramref name="Type"/> is <c>srflx</c> or <c>relay</c>; the related
/// address is its base (srflx) or the mapped address the TURN server saw (relay).
/// </summary>
public sealed record SdpCandidate(string Type, IPAddress Address, int Port, IPAddress RelatedAddress, int RelatedPort)
{
    /// <summary>RFC 8445 §5.1.2.1: type preference 100 (srflx) or 0 (relay), local preference 65535, component 1.</summary>
    public uint Priority => ((Type == "srflx" ? 100u : 0u) << 24) | (65535u << 8) | (256u - 1);
}
