using System.Globalization;

namespace LiveHost.Rtmp;

/// <summary>
/// A publish target of the form <c>rtmp://host[:port]/app/streamkey</c> (port 1935 by default), or
/// <c>rtmps://host[:port]/app/streamkey</c> (RTMP over TLS, port 443 by default). The app is one path segment; the
/// stream key is the rest (it may hold its own query string, which servers use for auth).
/// </summary>
public sealed record RtmpUrl(string Host, int Port, string App, string StreamKey)
{
    public const int DefaultPort = 1935;

    /// <summary>The port of <c>rtmps://</c> URLs without one (Facebook's, YouTube's and Twitch's RTMPS ingests listen there).</summary>
    public const int DefaultSecurePort = 443;

    /// <summary>True for <c>rtmps://</c>: the connection is TLS, and the server's certificate is checked.</summary>
    public bool Secure { get; init; }

    /// <summary>"rtmp" or "rtmps".</summary>
    public string Scheme => Secure ? "rtmps" : "rtmp";

    private int SchemeDefaultPort => Secure ? DefaultSecurePort : DefaultPort;

    /// <summary>The tcUrl sent in connect: the URL without the stream key.</summary>
    public string TcUrl
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            return Port == SchemeDefaultPort ? $"{Scheme}://{host}/{App}" : $"{Scheme}://{host}:{Port}/{App}";
        }
    }

    /// <summary>
    /// The URL with every secret hidden, safe for logs and the API: the stream key (with its own query) becomes
    /// <c>****</c>, and so does every query value of the app (<c>rtmp://h/app?auth=****/****</c>).
    /// </summary>
    public string Masked
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            var authority = Port == SchemeDefaultPort ? host : $"{host}:{Port}";
            return $"{Scheme}://{authority}/{MaskQueryValues(App)}/****";
        }
    }

    public override string ToString() => Masked;

    /// <summary>
    /// <paramref name="text"/> (an error or a server's status description) with every secret of this URL in it
    /// replaced by <c>****</c>: the stream key, its query values, and the app's query values.
    /// </summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in Secrets().OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "****", StringComparison.Ordinal);
        }
        return text;
    }

    private IEnumerable<string> Secrets()
    {
        yield return StreamKey;
        var keyQuery = StreamKey.IndexOf('?', StringComparison.Ordinal);
        if (keyQuery >= 0)
        {
            if (keyQuery > 0) yield return StreamKey[..keyQuery];
            foreach (var value in QueryValues(StreamKey[(keyQuery + 1)..])) yield return value;
        }
        var appQuery = App.IndexOf('?', StringComparison.Ordinal);
        if (appQuery >= 0)
        {
            foreach (var value in QueryValues(App[(appQuery + 1)..])) yield return value;
        }
    }

    // Values shorter than 3 characters ("1", "on") are not worth hiding and would garble the text they appear in.
    private static IEnumerable<string> QueryValues(string query) =>
        query.Split('&').Select(p => p.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? p[(eq + 1)..] : p).Where(v => v.Length >= 3);

    private static string MaskQueryValues(string app)
    {
        var query = app.IndexOf('?', StringComparison.Ordinal);
        if (query < 0) return app;
        var pairs = app[(query + 1)..].Split('&').Select(p =>
            p.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? p[..(eq + 1)] + "****" : "****");
        return app[..(query + 1)] + string.Join('&', pairs);
    }

    /// <exception cref="ArgumentException">The text is not an rtmp:// or rtmps:// URL with host, app and stream key.</exception>
    public static RtmpUrl Parse(string text)
    {
        if (TryParse(text, out var url, out var error)) return url;
        throw new ArgumentException(error, nameof(text));
    }

    public static bool TryParse(string? text, out RtmpUrl url, out string error)
    {
        url = null!;
        const string Shape = "expected rtmp://host[:port]/app/streamkey or rtmps://host[:port]/app/streamkey";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"RTMP URL is empty; {Shape}";
            return false;
        }
        text = text.Trim();
        var secure = text.StartsWith("rtmps://", StringComparison.OrdinalIgnoreCase);
        if (!secure && !text.StartsWith("rtmp://", StringComparison.OrdinalIgnoreCase))
        {
            var scheme = text.Contains("://", StringComparison.Ordinal) ? text[..text.IndexOf("://", StringComparison.Ordinal)] : "none";
            error = $"RTMP URL must use the rtmp or rtmps scheme (got '{scheme}'); {Shape}";
            return false;
        }
        var rest = text[(secure ? "rtmps://" : "rtmp://").Length..];
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
        if (!TrySplitHostPort(authority, secure ? DefaultSecurePort : DefaultPort, out var host, out var port, out error)) return false;
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
        url = new RtmpUrl(host, port, app, key) { Secure = secure };
        error = "";
        return true;
    }

    private static bool TrySplitHostPort(string authority, int defaultPort, out string host, out int port, out string error)
    {
        host = authority;
        port = defaultPort;
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
