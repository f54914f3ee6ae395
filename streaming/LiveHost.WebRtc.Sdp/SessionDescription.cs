namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// A parsed SDP offer (RFC 8866) as browsers write them for WebRTC (RFC 8829 / JSEP). Parsing is tolerant:
/// unknown lines and malformed attributes are kept raw or skipped, and only what makes the description unusable
/// (no v=0, a broken m= line, oversized input) fails.
/// </summary>
public sealed class SessionDescription
{
    /// <summary>Largest SDP accepted: a Chrome offer is ~7 KB; anything near this is abuse, not a browser.</summary>
    public const int MaxLength = 128 * 1024;

    internal SessionDescription()
    {
    }

    /// <summary>The o= line's value, e.g. "- 7319893461132616147 2 IN IP4 127.0.0.1".</summary>
    public string? Origin { get; internal set; }

    /// <summary>The s= line's value (browsers write "-").</summary>
    public string? SessionName { get; internal set; }

    /// <summary>Session-level ice-ufrag (Firefox writes it here; Chrome per m= section).</summary>
    public string? IceUfrag { get; internal set; }

    public string? IcePassword { get; internal set; }

    public SdpFingerprint? Fingerprint { get; internal set; }

    public string? Setup { get; internal set; }

    /// <summary>a=ice-lite at session level.</summary>
    public bool IceLite { get; internal set; }

    /// <summary>The mids of the first a=group:BUNDLE line, in order; empty when there is none.</summary>
    public IReadOnlyList<string> BundleMids { get; internal set; } = [];

    /// <summary>Session-level a= lines, in order.</summary>
    public IReadOnlyList<SdpAttribute> Attributes => AttributesList;

    /// <summary>The m= sections in order (the m-line index is the list index).</summary>
    public IReadOnlyList<MediaDescription> Media => MediaList;

    internal readonly List<SdpAttribute> AttributesList = [];
    internal readonly List<MediaDescription> MediaList = [];

    /// <summary>
    /// Parses <paramref name="sdp"/>. Never throws: on failure <paramref name="error"/> says what is wrong in a form
    /// fit for a 400 response body.
    /// </summary>
    public static bool TryParse(string? sdp, out SessionDescription? description, out string? error)
        => SdpParser.TryParse(sdp, out description, out error);
}
