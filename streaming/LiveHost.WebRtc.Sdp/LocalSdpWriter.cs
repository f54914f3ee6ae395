using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// The SDP lines LiveHost writes about itself, shared by the WHEP answer and the WHIP offer: the session head
/// (ICE-lite, BUNDLE), and per sent stream its transport (ICE credentials, fingerprint, setup, direction, rtcp-mux),
/// codec (rtpmap, rtcp-fb, fmtp), identity (msid, ssrc), the one host candidate and any gathered ones.
/// </summary>
internal sealed class LocalSdpWriter(WhepAnswerParameters local)
{
    // RFC 8445 §5.1.2.1 with type preference 126 (host), local preference 65535, component 1.
    private const uint HostCandidatePriority = (126u << 24) | (65535u << 8) | (256u - 1);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly StringBuilder _sdp = new(2048);

    public string Address => local.CandidateAddress.ToString();
    public string AddressType => local.CandidateAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";

    public void Line(string text) => _sdp.Append(text).Append("\r\n");

    public void SessionHead(IEnumerable<string> bundle)
    {
        var sessionId = local.SessionId != 0 ? local.SessionId : BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 1;
        Line("v=0");
        Line(string.Create(Inv, $"o=- {sessionId} 2 IN IP4 127.0.0.1"));
        Line("s=-");
        Line("t=0 0");
        Line("a=ice-lite");
        Line("a=group:BUNDLE " + string.Join(' ', bundle));
        Line("a=msid-semantic: WMS " + local.StreamId);
    }

    /// <summary>m=, c=, mid, ICE credentials, fingerprint, setup, direction and rtcp-mux of one sent stream.</summary>
    public void MediaHead(NegotiatedTrack track, string protocol, string setup, string direction)
    {
        Line(string.Create(Inv, $"m={track.Kind} {local.CandidatePort} {protocol} {track.PayloadType}"));
        Line($"c=IN {AddressType} {Address}");
        Line("a=mid:" + track.Mid);
        Line("a=ice-ufrag:" + local.IceUfrag);
        Line("a=ice-pwd:" + local.IcePassword);
        Line("a=fingerprint:" + local.DtlsFingerprint);
        Line("a=setup:" + setup);
        Line("a=" + direction);
        Line("a=rtcp-mux");
    }

    /// <summary>rtpmap, rtcp-fb, fmtp, extmap, msid, ssrc and the host candidate of one sent stream.</summary>
    public void MediaBody(NegotiatedTrack track)
    {
        Line(track.Channels > 0
            ? string.Create(Inv, $"a=rtpmap:{track.PayloadType} {track.EncodingName}/{track.ClockRate}/{track.Channels}")
            : string.Create(Inv, $"a=rtpmap:{track.PayloadType} {track.EncodingName}/{track.ClockRate}"));
        foreach (var feedback in track.RtcpFeedback) Line(string.Create(Inv, $"a=rtcp-fb:{track.PayloadType} {feedback}"));
        Line(string.Create(Inv, $"a=fmtp:{track.PayloadType} {track.Fmtp}"));
        foreach (var extension in track.HeaderExtensions) Line(string.Create(Inv, $"a=extmap:{extension.Id} {extension.Uri}"));
        Line($"a=msid:{local.StreamId} {track.Kind}");
        Line(string.Create(Inv, $"a=ssrc:{track.Ssrc} cname:{local.CName}"));
        Line(string.Create(Inv, $"a=ssrc:{track.Ssrc} msid:{local.StreamId} {track.Kind}"));
        Line(string.Create(Inv, $"a=candidate:1 1 udp {HostCandidatePriority} {Address} {local.CandidatePort} typ host"));
        var foundation = 2;
        foreach (var c in local.ExtraCandidates)
        {
            Line(string.Create(Inv, $"a=candidate:{foundation++} 1 udp {c.Priority} {c.Address} {c.Port} typ {c.Type} raddr {c.RelatedAddress} rport {c.RelatedPort}"));
        }
        Line("a=end-of-candidates");
    }

    public override string ToString() => _sdp.ToString();
}
