using System.Globalization;

namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// The SDP side of WHIP push (RFC 9725): LiveHost offers, the endpoint answers. The offer is the mirror of a WHEP answer:
/// ICE-lite with one host candidate (so the endpoint, a full agent, is controlling and nominates: RFC 8445 §6.1.1),
/// <c>setup:actpass</c> (the endpoint chooses; LiveHost then serves as the DTLS server, so it must answer
/// <c>setup:active</c>, which is what aiortc, libwebrtc and most SFUs answer to actpass), send-only H.264 (Constrained
/// Baseline, packetization-mode 1) and Opus on one BUNDLE + rtcp-mux transport.
/// </summary>
public static class WhipOffer
{
    public const int VideoPayloadType = 96;
    public const int AudioPayloadType = 111;
    public const string VideoMid = "0";
    public const string AudioMid = "1";

    private const string VideoFmtp = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";
    private const string OpusFmtp = "minptime=10;useinbandfec=1";
    private static readonly string[] VideoFeedback = ["nack", "nack pli", "ccm fir"];

    public static string Create(WhepAnswerParameters local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var sdp = new LocalSdpWriter(local);
        sdp.SessionHead([VideoMid, AudioMid]);
        foreach (var track in new[] { VideoTrack(local), AudioTrack(local) })
        {
            sdp.MediaHead(track, "UDP/TLS/RTP/SAVPF", "actpass", "sendonly");
            sdp.MediaBody(track);
        }
        return sdp.ToString();
    }

    private static NegotiatedTrack VideoTrack(WhepAnswerParameters local) =>
        new("video", VideoMid, 0, VideoPayloadType, "H264", 90000, 0, VideoFmtp, local.VideoSsrc, VideoFeedback);

    private static NegotiatedTrack AudioTrack(WhepAnswerParameters local) =>
        new("audio", AudioMid, 1, AudioPayloadType, "opus", 48000, 2, OpusFmtp, local.AudioSsrc, []);

    /// <summary>
    /// Reads the endpoint's answer to <see cref="Create"/>: both sections accepted with the offered payload types, ICE
    /// credentials, a fingerprint and <c>setup:active</c>. False with a message naming what is wrong otherwise.
    /// </summary>
    public static bool TryAccept(string offerSdp, string answerSdp, WhepAnswerParameters local, out WhepNegotiation? negotiation, out string? error)
    {
        negotiation = null;
        if (!SessionDescription.TryParse(answerSdp, out var answer, out var parseError))
        {
            error = "the WHIP answer is not valid SDP: " + parseError;
            return false;
        }
        var problems = new List<string>();
        var video = Section(answer!, "video", VideoPayloadType, problems);
        var audio = Section(answer!, "audio", AudioPayloadType, problems);
        if (video is not null && audio is not null)
        {
            if (video.IceUfrag is null || video.IcePassword is null) problems.Add("the answer has no a=ice-ufrag / a=ice-pwd");
            if (video.Fingerprint is null) problems.Add("the answer has no usable a=fingerprint");
            if (video.Setup is not "active")
                problems.Add($"the answer says a=setup:{video.Setup ?? "(none)"}; LiveHost's WHIP push is the DTLS server, so the endpoint must answer setup:active");
        }
        if (problems.Count > 0)
        {
            error = "Cannot use the WHIP answer: " + string.Join("; ", problems) + ".";
            return false;
        }
        negotiation = new WhepNegotiation(offerSdp, VideoTrack(local), AudioTrack(local), video!.IceUfrag!, video.IcePassword!, video.Fingerprint!, "active", [VideoMid, AudioMid]);
        error = null;
        return true;
    }

    /// <summary>
    /// The IP addresses of the answer's <c>a=candidate</c> lines (RFC 8839 §5.1; mDNS names skipped): the peers a TURN
    /// relay must permit before the endpoint's checks can reach LiveHost through it.
    /// </summary>
    public static IReadOnlyList<System.Net.IPAddress> CandidateAddresses(string answerSdp)
    {
        ArgumentNullException.ThrowIfNull(answerSdp);
        var addresses = new List<System.Net.IPAddress>();
        foreach (var raw in answerSdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith("a=candidate:", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 6 && string.Equals(fields[2], "udp", StringComparison.OrdinalIgnoreCase)
                && System.Net.IPAddress.TryParse(fields[4], out var address) && !addresses.Contains(address)) addresses.Add(address);
        }
        return addresses;
    }

    private static MediaDescription? Section(SessionDescription answer, string kind, int payloadType, List<string> problems)
    {
        var media = answer.Media.FirstOrDefault(m => m.Kind == kind);
        string? problem = media is null ? $"the answer has no {kind} section"
            : media.Port == 0 ? $"the endpoint rejected {kind} (port 0)"
            : !media.Formats.Contains(payloadType.ToString(CultureInfo.InvariantCulture)) ? $"the {kind} answer does not accept payload type {payloadType} (it lists {string.Join(' ', media.Formats)})"
            : media.Direction is SdpDirection.SendOnly or SdpDirection.Inactive ? $"the endpoint answered {kind} {media.Direction.ToString().ToLowerInvariant()}: it must receive"
            : null;
        if (problem is null) return media;
        problems.Add(problem);
        return null;
    }
}
