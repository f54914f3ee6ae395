namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// One m= section of an offer with the attributes WebRTC negotiation needs already decoded. Session-level
/// ice-ufrag, ice-pwd, fingerprint, setup and direction are copied in where the section has none, so callers
/// never look in two places. Every a= line is also kept raw in <see cref="Attributes"/>.
/// </summary>
public sealed class MediaDescription
{
    internal MediaDescription(string kind, int port, string protocol, IReadOnlyList<string> formats)
    {
        Kind = kind;
        Port = port;
        Protocol = protocol;
        Formats = formats;
    }

    /// <summary>"audio", "video", "application", ...</summary>
    public string Kind { get; }

    /// <summary>The m= port; 0 means the offerer rejected or disabled the section.</summary>
    public int Port { get; }

    /// <summary>E.g. "UDP/TLS/RTP/SAVPF" or "UDP/DTLS/SCTP".</summary>
    public string Protocol { get; }

    /// <summary>The format list in preference order (payload types for RTP, "webrtc-datachannel" for SCTP).</summary>
    public IReadOnlyList<string> Formats { get; }

    /// <summary>a=mid (RFC 9143 identification tag).</summary>
    public string? Mid { get; internal set; }

    public string? IceUfrag { get; internal set; }

    public string? IcePassword { get; internal set; }

    /// <summary>Null when absent or malformed.</summary>
    public SdpFingerprint? Fingerprint { get; internal set; }

    /// <summary>a=setup value as written: "actpass", "active", "passive" or "holdconn".</summary>
    public string? Setup { get; internal set; }

    public SdpDirection Direction { get; internal set; }

    public bool RtcpMux { get; internal set; }

    /// <summary>a=rtcp-rsize (RFC 5506): the peer accepts reduced-size RTCP.</summary>
    public bool RtcpReducedSize { get; internal set; }

    /// <summary>The c= line's value, e.g. "IN IP4 0.0.0.0".</summary>
    public string? Connection { get; internal set; }

    public IReadOnlyList<SdpRtpMap> RtpMaps => RtpMapsList;

    /// <summary>a=fmtp parameters by payload type (the first line wins when a payload type repeats).</summary>
    public IReadOnlyDictionary<int, string> Fmtps => FmtpsList;

    public IReadOnlyList<SdpRtcpFeedback> RtcpFeedback => RtcpFeedbackList;

    public IReadOnlyList<SdpExtMap> ExtMaps => ExtMapsList;

    public IReadOnlyList<SdpSsrc> Ssrcs => SsrcsList;

    /// <summary>Every a= line of the section, in order, including the ones decoded above.</summary>
    public IReadOnlyList<SdpAttribute> Attributes => AttributesList;

    internal readonly List<SdpRtpMap> RtpMapsList = [];

    internal readonly Dictionary<int, string> FmtpsList = [];

    internal readonly List<SdpRtcpFeedback> RtcpFeedbackList = [];

    internal readonly List<SdpExtMap> ExtMapsList = [];

    internal readonly List<SdpSsrc> SsrcsList = [];

    internal readonly List<SdpAttribute> AttributesList = [];

    internal bool HasDirection { get; set; }

    /// <summary>The a=rtpmap for <paramref name="payloadType"/>, or null.</summary>
    public SdpRtpMap? FindRtpMap(int payloadType) => RtpMapsList.Find(m => m.PayloadType == payloadType);

    /// <summary>The a=fmtp parameters for <paramref name="payloadType"/>, or null.</summary>
    public string? GetFmtp(int payloadType) => FmtpsList.TryGetValue(payloadType, out var value) ? value : null;

    /// <summary>The a=rtcp-fb entries that apply to <paramref name="payloadType"/> (its own and "*").</summary>
    public IEnumerable<SdpRtcpFeedback> GetRtcpFeedback(int payloadType)
        => RtcpFeedbackList.Where(f => f.PayloadType is null || f.PayloadType == payloadType);
}
