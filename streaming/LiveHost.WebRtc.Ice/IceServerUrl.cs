using System.Globalization;
using System.Net;

namespace LiveHost.WebRtc.Ice;

/// <summary>
/// A STUN or TURN server as WebRTC names it (RFC 7064 <c>stun:host[:port]</c>, RFC 7065
/// <c>turn:host[:port][?transport=udp]</c>; the port defaults to 3478). Only UDP is spoken: <c>stuns:</c>,
/// <c>turns:</c> and <c>?transport=tcp</c> are refused with a message saying so, rather than silently not used.
/// </summary>
public sealed record IceServerUrl(bool IsTurn, string Host, int Port)
{
    public const int DefaultPort = 3478;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(IsTurn ? "turn" : "stun")}:{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");

    public static bool TryParse(string? url, out IceServerUrl parsed, out string error)
    {
        parsed = null!;
        var text = url?.Trim() ?? "";
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? text[..colon].ToLowerInvariant() : "";
        if (scheme is "stuns" or "turns")
        {
            error = $"'{text}': {scheme}: (STUN/TURN over TLS) is not supported; use stun: or turn: (UDP)";
            return false;
        }
        if (scheme is not ("stun" or "turn"))
        {
            error = $"'{text}' is not a STUN or TURN URL: expected stun:host[:port] or turn:host[:port][?transport=udp]";
            return false;
        }
        var rest = text[(colon + 1)..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            var parameter = rest[(query + 1)..].ToLowerInvariant();
            if (scheme == "stun" || parameter != "transport=udp")
            {
                error = $"'{text}': only turn:...?transport=udp is supported (TURN over TCP is not)";
                return false;
            }
            rest = rest[..query];
        }
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            error = $"'{text}': a STUN/TURN URL has no '//' (stun:host:port)";
            return false;
        }
        string host;
        string? portText = null;
        var bracketed = rest.StartsWith('[');
        if (bracketed)
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? rest[1..close] : "";
            if (close > 0 && close + 1 < rest.Length)
            {
                if (rest[close + 1] != ':') host = "";
                else portText = rest[(close + 2)..];
            }
            if (!IPAddress.TryParse(host, out _)) host = "";
        }
        else
        {
            var portColon = rest.LastIndexOf(':');
            host = portColon >= 0 ? rest[..portColon] : rest;
            portText = portColon >= 0 ? rest[(portColon + 1)..] : null;
        }
        if (host.Length == 0 || (!bracketed && host.Contains(':', StringComparison.Ordinal)) || host.Contains('/', StringComparison.Ordinal) || host.Contains('@', StringComparison.Ordinal))
        {
            error = $"'{text}' has no usable host (stun:host[:port]; an IPv6 address goes in brackets)";
            return false;
        }
        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"'{text}' has a bad port (1 to 65535)";
            return false;
        }
        parsed = new IceServerUrl(scheme == "turn", host, port);
        error = "";
        return true;
    }
}
