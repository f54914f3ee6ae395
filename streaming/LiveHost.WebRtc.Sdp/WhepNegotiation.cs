namespace LiveHost.WebRtc.Sdp;

/// <summary>What was agreed for one sent stream: where in the SDP it lives and how to packetize it.</summary>
/// <param name="Kind">"video" or "audio".</param>
/// <param name="Mid">The offer's mid, for the RTP sdes:mid extension if the lead adds it.</param>
/// <param name="MLineIndex">Index of the m= section in the offer (and answer).</param>
/// <param name="PayloadType">The offer's payload type, which our RTP must use.</param>
/// <param name="EncodingName">"H264" or "opus".</param>
/// <param name="ClockRate">RTP clock: 90000 for video, 48000 for Opus.</param>
/// <param name="Channels">2 for Opus, 0 for video.</param>
/// <param name="Fmtp">The fmtp we answered.</param>
/// <param name="Ssrc">Our SSRC for this stream.</param>
/// <param name="RtcpFeedback">The rtcp-fb values we answered ("nack", "nack pli", "ccm fir").</param>
public sealed record NegotiatedTrack(
    string Kind,
    string Mid,
    int MLineIndex,
    int PayloadType,
    string EncodingName,
    int ClockRate,
    int Channels,
    string Fmtp,
    uint Ssrc,
    IReadOnlyList<string> RtcpFeedback)
{
    /// <summary>The RTP header extensions agreed for this stream (a=extmap, RFC 8285 §8), with the offer's IDs.</summary>
    public IReadOnlyList<SdpExtMap> HeaderExtensions { get; init; } = [];

    /// <summary>The ID agreed for the extension <paramref name="uri"/>, or 0 when it was not agreed.</summary>
    public int ExtensionId(string uri) => HeaderExtensions.FirstOrDefault(e => e.Uri == uri)?.Id ?? 0;
}

/// <summary>
/// The outcome of answering a WHEP offer: the answer SDP for the 201 body, and everything the transport needs
/// (remote ICE credentials for the ICE agent, remote fingerprint and role for DTLS, payload types for RTP).
/// </summary>
/// <param name="AnswerSdp">The SDP answer, CRLF line endings.</param>
/// <param name="Video">The H.264 stream.</param>
/// <param name="Audio">The Opus stream.</param>
/// <param name="RemoteIceUfrag">The browser's ufrag (USERNAME is "ours:this").</param>
/// <param name="RemoteIcePassword">The browser's ICE password.</param>
/// <param name="RemoteFingerprint">The certificate digest the browser's DTLS certificate must match.</param>
/// <param name="RemoteSetup">The offer's a=setup ("actpass" or "active"); we are always passive, the DTLS server.</param>
/// <param name="BundleMids">The answer's BUNDLE group: the accepted mids in offer order.</param>
public sealed record WhepNegotiation(
    string AnswerSdp,
    NegotiatedTrack Video,
    NegotiatedTrack Audio,
    string RemoteIceUfrag,
    string RemoteIcePassword,
    SdpFingerprint RemoteFingerprint,
    string RemoteSetup,
    IReadOnlyList<string> BundleMids);
