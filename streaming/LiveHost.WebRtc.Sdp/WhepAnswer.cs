using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// Builds the SDP answer to a WHEP viewer's offer (RFC 9725 WHEP, RFC 8829 JSEP rules for answers). The server is
/// ICE-lite with one host candidate, the DTLS server (setup:passive), send-only, BUNDLE + rtcp-mux on one port.
/// </summary>
/// <remarks>
/// The answer keeps every offered m= section in order (JSEP §5.3.1). The first usable video and audio sections
/// are accepted, sendonly; every other section (data channels, extra tracks) is rejected with port 0, which also
/// takes it out of the BUNDLE group (RFC 9143 §7.3.3).
/// </remarks>
public static class WhepAnswer
{
    private static readonly string[] VideoFeedback = ["nack", "nack pli", "ccm fir"];
    private const string OpusFmtp = "minptime=10;useinbandfec=1";

    /// <summary>The playout-delay RTP header extension's URI (the sender's bounds on the receiver's playout delay).</summary>
    public const string PlayoutDelayUri = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

    /// <summary>
    /// Negotiates against <paramref name="offer"/>. Returns false with a human-readable <paramref name="error"/>
    /// (for a 400/406 body) when the offer cannot be served; throws <see cref="ArgumentException"/> only when
    /// <paramref name="local"/> itself is invalid, which is a configuration bug.
    /// </summary>
    public static bool TryCreate(SessionDescription offer, WhepAnswerParameters local, out WhepNegotiation? negotiation, out string? error)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(local);
        ValidateLocal(local);
        negotiation = null;

        int videoIndex = -1, audioIndex = -1, videoPt = -1, audioPt = -1;
        var problems = new List<string>();
        for (int i = 0; i < offer.Media.Count; i++)
        {
            var media = offer.Media[i];
            if (media.Kind == "video" && videoIndex < 0)
            {
                if (Usable(media, problems) && (videoPt = WhepCodecSelector.SelectH264(media)) >= 0)
                {
                    videoIndex = i;
                }
                else if (videoPt < 0 && Usable(media, null))
                {
                    problems.Add($"video (mid {media.Mid}) offers no H264 with packetization-mode=1 and a Constrained Baseline profile-level-id (42e0xx/42c0xx); offered: {WhepCodecSelector.DescribeOffered(media)}");
                }
            }
            else if (media.Kind == "audio" && audioIndex < 0)
            {
                if (Usable(media, problems) && (audioPt = WhepCodecSelector.SelectOpus(media)) >= 0)
                {
                    audioIndex = i;
                }
                else if (audioPt < 0 && Usable(media, null))
                {
                    problems.Add($"audio (mid {media.Mid}) offers no opus/48000/2; offered: {WhepCodecSelector.DescribeOffered(media)}");
                }
            }
        }

        if (videoIndex < 0 && !offer.Media.Any(m => m.Kind == "video"))
        {
            problems.Add("the offer has no video m= section (add a recvonly video transceiver)");
        }

        if (audioIndex < 0 && !offer.Media.Any(m => m.Kind == "audio"))
        {
            problems.Add("the offer has no audio m= section (add a recvonly audio transceiver)");
        }

        if (videoIndex < 0 || audioIndex < 0)
        {
            error = "Cannot answer: " + string.Join("; ", problems.Distinct()) + ".";
            return false;
        }

        var video = offer.Media[videoIndex];
        var audio = offer.Media[audioIndex];
        if (!TryCheckTransport(offer, video, audio, out error))
        {
            return false;
        }

        var acceptedMids = offer.Media.Select((m, i) => (m, i)).Where(x => x.i == videoIndex || x.i == audioIndex).Select(x => x.m.Mid!).ToArray();
        var videoTrack = new NegotiatedTrack("video", video.Mid!, videoIndex, videoPt, "H264", 90000, 0,
            $"level-asymmetry-allowed=1;packetization-mode=1;profile-level-id={FmtpParameters.Get(video.GetFmtp(videoPt), "profile-level-id")!.ToLowerInvariant()}",
            local.VideoSsrc, VideoFeedback)
        {
            HeaderExtensions = AcceptedVideoExtensions(video, local),
        };
        var audioTrack = new NegotiatedTrack("audio", audio.Mid!, audioIndex, audioPt, "opus", 48000, 2, OpusFmtp, local.AudioSsrc, []);

        string sdp = WriteAnswer(offer, local, videoTrack, audioTrack, acceptedMids);
        negotiation = new WhepNegotiation(sdp, videoTrack, audioTrack, video.IceUfrag!, video.IcePassword!, video.Fingerprint!,
            video.Setup ?? "actpass", acceptedMids);
        error = null;
        return true;
    }

    // The one extension we send, under the ID the offer chose, when we are to and the browser would receive it: a
    // one-byte ID (1..14), and not offered as sendonly or inactive (RFC 8285 §6: the offerer would not read it).
    private static SdpExtMap[] AcceptedVideoExtensions(MediaDescription video, WhepAnswerParameters local)
    {
        if (!local.PlayoutDelay || video.ExtMaps.FirstOrDefault(e => e.Uri == PlayoutDelayUri) is not { Id: >= 1 and <= 14 } offered) return [];
        var prefix = offered.Id.ToString(CultureInfo.InvariantCulture) + "/";
        var notReceived = video.Attributes.Any(a => a.Name == "extmap" && a.Value is { } v && v.StartsWith(prefix, StringComparison.Ordinal)
            && (v.StartsWith(prefix + "sendonly", StringComparison.Ordinal) || v.StartsWith(prefix + "inactive", StringComparison.Ordinal)));
        return notReceived ? [] : [offered];
    }

    // A section we could send into: not disabled, SRTP with feedback, a mid to BUNDLE by, and a viewer that receives.
    private static bool Usable(MediaDescription media, List<string>? problems)
    {
        string? problem = media.Port == 0 ? "is disabled (port 0)"
            : !media.Protocol.Contains("RTP/SAVP", StringComparison.Ordinal) ? $"uses {media.Protocol}, not UDP/TLS/RTP/SAVPF"
            : string.IsNullOrEmpty(media.Mid) ? "has no a=mid"
            : media.Direction is SdpDirection.SendOnly or SdpDirection.Inactive
                ? $"is {media.Direction.ToString().ToLowerInvariant()}: a viewer must offer recvonly or sendrecv"
            : null;
        if (problem is not null)
        {
            problems?.Add($"{media.Kind} (mid {media.Mid}) {problem}");
        }

        return problem is null;
    }

    private static bool TryCheckTransport(SessionDescription offer, MediaDescription video, MediaDescription audio, out string? error)
    {
        var missing = new List<string>();
        foreach (var media in new[] { video, audio })
        {
            if (media.IceUfrag is null)
            {
                missing.Add($"{media.Kind} has no a=ice-ufrag");
            }
            else if (!IsIceChars(media.IceUfrag, 4))
            {
                missing.Add($"{media.Kind} a=ice-ufrag is not 4..256 ice-chars");
            }

            if (media.IcePassword is null)
            {
                missing.Add($"{media.Kind} has no a=ice-pwd");
            }
            else if (!IsIceChars(media.IcePassword, 22))
            {
                missing.Add($"{media.Kind} a=ice-pwd is not 22..256 ice-chars");
            }

            if (media.Fingerprint is null)
            {
                missing.Add($"{media.Kind} has no usable a=fingerprint");
            }

            if (media.Setup is not (null or "actpass" or "active"))
            {
                missing.Add($"{media.Kind} a=setup:{media.Setup}: the server is always the DTLS server (it answers setup:passive), so the offer must be actpass or active");
            }

            if (!media.RtcpMux)
            {
                missing.Add($"{media.Kind} lacks a=rtcp-mux (everything runs on one port)");
            }

            if (!offer.BundleMids.Contains(media.Mid!))
            {
                missing.Add($"{media.Kind} (mid {media.Mid}) is not in a=group:BUNDLE (everything runs on one port)");
            }
        }

        if (missing.Count == 0 && (video.IceUfrag != audio.IceUfrag || video.IcePassword != audio.IcePassword || !Equals(video.Fingerprint, audio.Fingerprint)))
        {
            missing.Add("the bundled video and audio sections disagree on ICE credentials or fingerprint");
        }

        error = missing.Count == 0 ? null : "Cannot answer: " + string.Join("; ", missing) + ".";
        return error is null;
    }

    private static string WriteAnswer(SessionDescription offer, WhepAnswerParameters local, NegotiatedTrack video, NegotiatedTrack audio, string[] bundle)
    {
        var sdp = new LocalSdpWriter(local);
        sdp.SessionHead(bundle);
        for (int i = 0; i < offer.Media.Count; i++)
        {
            var media = offer.Media[i];
            var track = i == video.MLineIndex ? video : i == audio.MLineIndex ? audio : null;
            if (track is null)
            {
                // Rejected: port 0 and the offer's first format keep the m= line well-formed (RFC 8866 §5.14).
                sdp.Line($"m={media.Kind} 0 {media.Protocol} {media.Formats[0]}");
                sdp.Line($"c=IN {sdp.AddressType} {sdp.Address}");
                if (media.Mid is not null)
                {
                    sdp.Line("a=mid:" + media.Mid);
                }

                if (media.Kind is "audio" or "video")
                {
                    sdp.Line("a=inactive");
                }

                continue;
            }

            sdp.MediaHead(track, media.Protocol, "passive", "sendonly");
            if (media.RtcpReducedSize)
            {
                sdp.Line("a=rtcp-rsize");
            }

            sdp.MediaBody(track);
        }

        return sdp.ToString();
    }

    private static void ValidateLocal(WhepAnswerParameters local)
    {
        if (!IsIceChars(local.IceUfrag, 4) || !IsIceChars(local.IcePassword, 22))
        {
            throw new ArgumentException("Local ICE ufrag/password break RFC 8839's grammar (4+/22+ ice-chars).", nameof(local));
        }

        if (SdpFingerprint.TryParse(local.DtlsFingerprint) is null)
        {
            throw new ArgumentException("DtlsFingerprint must look like \"sha-256 AB:CD:...\".", nameof(local));
        }

        if (local.CandidatePort is < 1 or > 65535)
        {
            throw new ArgumentException("CandidatePort must be 1..65535.", nameof(local));
        }

        if (local.VideoSsrc == local.AudioSsrc)
        {
            throw new ArgumentException("Video and audio need different SSRCs on one BUNDLE transport.", nameof(local));
        }

        if (string.IsNullOrWhiteSpace(local.CName) || local.CName.Any(char.IsWhiteSpace)
            || string.IsNullOrWhiteSpace(local.StreamId) || local.StreamId.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("CName and StreamId must be non-empty and contain no whitespace.", nameof(local));
        }
    }

    private static bool IsIceChars(string? value, int minLength)
        => value is not null && value.Length >= minLength && value.Length <= 256
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');
}
