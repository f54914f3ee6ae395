using System.Globalization;

namespace LiveHost.Rtmp;

/// <summary>
/// A publish target of the form <c>rtmp://host[:port]/app/streamkey</c> (port 1935 by default). The app is one
/// path segment; the stream key is the rest (it may hold its own query string, which servers use for auth).
/// </summary>
public sealed record RtmpUrl(string Host, int Port, string App, string StreamKey)
{
    public const int DefaultPort = 1935;

    /// <summary>The tcUrl sent in connect: the URL without the stream key.</summary>
    public string TcUrl
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            return Port == DefaultPort ? $"rtmp://{host}/{App}" : $"rtmp://{host}:{Port}/{App}";
        }
    }

    /// <summary>The URL with the stream key hidden, safe for logs and the API.</summary>
    public string Masked => $"{TcUrl}/****";

    public override string ToString() => Masked;

    /// <exception cref="ArgumentException">The text is not an rtmp:// URL with host, app and stream key.</exception>
    public static RtmpUrl Parse(string text)
    {
        if (TryParse(text, out var url, out var error)) return url;
        throw new ArgumentException(error, nameof(text));
    }

    public static bool TryParse(string? text, out RtmpUrl url, out string error)
    {
        url = null!;
        const string Shape = "expected rtmp://host[:port]/app/streamkey";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"RTMP URL is empty; {Shape}";
            return false;
        }
        text = text.Trim();
        const string Scheme = "rtmp://";
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var scheme = text.Contains("://", StringComparison.Ordinal) ? text[..text.IndexOf("://", StringComparison.Ordinal)] : "none";
            error = $"RTMP URL must use the rtmp scheme (got '{scheme}'); {Shape}";
            return false;
        }
        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            error = $"RTMP URL has no host or no app; {Shape}";
            return false;
        }
        var authority = rest[..slash];
        var path = rest[(slash + 1)..];
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            error = $"RTMP URL must not contain user credentials; {Shape}";
            return false;
        }
        if (!TrySplitHostPort(authority, out var host, out var port, out error)) return false;
        var appEnd = path.IndexOf('/', StringComparison.Ordinal);
        if (appEnd <= 0)
        {
            error = $"RTMP URL has no stream key after the app; {Shape}";
            return false;
        }
        var app = path[..appEnd];
        var key = path[(appEnd + 1)..];
        if (key.Length == 0 || key.Contains('/', StringComparison.Ordinal) || key.Any(char.IsWhiteSpace) || app.Any(char.IsWhiteSpace))
        {
            error = $"RTMP URL's app and stream key must be single non-empty path segments without spaces; {Shape}";
            return false;
        }
        url = new RtmpUrl(host, port, app, key);
        error = "";
        return true;
    }

    private static bool TrySplitHostPort(string authority, out string host, out int port, out string error)
    {
        host = authority;
        port = DefaultPort;
        error = "";
        var colon = authority.LastIndexOf(':');
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "RTMP URL has an unterminated IPv6 address";
                return false;
            }
            host = authority[1..close];
            colon = close + 1 < authority.Length && authority[close + 1] == ':' ? close + 1 : -1;
            if (colon < 0 && close + 1 != authority.Length)
            {
                error = "RTMP URL has text after the IPv6 address";
                return false;
            }
        }
        else if (colon >= 0)
        {
            host = authority[..colon];
        }
        if (colon >= 0)
        {
            var portText = authority[(colon + 1)..];
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                error = $"RTMP URL has an invalid port '{portText}' (1..65535)";
                return false;
            }
        }
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '?' or '#'))
        {
            error = "RTMP URL has an empty or invalid host";
            return false;
        }
        return true;
    }
}
