using LiveHost.WebRtc.Ice;

namespace LiveHost.WebRtc;

/// <summary>
/// One entry of <c>WebRtc:IceServers</c> (or of an output's <c>iceServers</c>), shaped as WebRTC's RTCIceServer:
/// <c>urls</c> (stun: and turn:), and for turn: the long-term <c>username</c> and <c>credential</c>.
/// </summary>
public sealed class IceServerOptions
{
    public List<string> Urls { get; set; } = [];
    public string? Username { get; set; }
    public string? Credential { get; set; }

    /// <summary>The parsed URLs (call <see cref="Validate"/> first; bad ones are skipped here).</summary>
    public IEnumerable<IceServerUrl> Parsed() =>
        Urls.Select(u => IceServerUrl.TryParse(u, out var url, out _) ? url : null).OfType<IceServerUrl>();

    /// <summary>What is wrong with this entry; empty when usable. Never repeats the credential.</summary>
    public IEnumerable<string> Validate()
    {
        if (Urls.Count == 0) yield return "urls is empty (give stun:host[:port] or turn:host[:port])";
        foreach (var url in Urls)
        {
            if (!IceServerUrl.TryParse(url, out var parsed, out var error)) yield return error;
            else if (parsed.IsTurn && (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Credential)))
                yield return $"'{parsed}' is a TURN server: it needs username and credential (TURN long-term credentials)";
        }
    }
}
