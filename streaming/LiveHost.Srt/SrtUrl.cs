using System.Globalization;

namespace LiveHost.Srt;

/// <summary>
/// An SRT caller target: <c>srt://host:port[?latency=MS][&amp;passphrase=SECRET][&amp;streamid=ID]</c>. <c>latency</c> is in
/// milliseconds (libsrt's SRTO_LATENCY and srt-live-transmit's unit; ffmpeg's own <c>latency</c> is in microseconds),
/// 20..8000, default 120. <c>passphrase</c> (10..79 characters, SRT's rule) turns on AES encryption. <c>mode</c>, if
/// given, must be <c>caller</c>. The passphrase and stream id are secrets: <see cref="Masked"/> hides them.
/// </summary>
public sealed record SrtUrl(string Host, int Port, int LatencyMilliseconds, string? Passphrase, string? StreamId)
{
    public const int DefaultLatencyMilliseconds = 120;

    /// <summary>The URL as logs and the API show it: passphrase and stream id as <c>****</c>.</summary>
    public string Masked
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            var query = new List<string> { string.Create(CultureInfo.InvariantCulture, $"latency={LatencyMilliseconds}") };
            if (Passphrase is not null) query.Add("passphrase=****");
            if (StreamId is not null) query.Add("streamid=****");
            return string.Create(CultureInfo.InvariantCulture, $"srt://{host}:{Port}?{string.Join('&', query)}");
        }
    }

    public override string ToString() => Masked;

    /// <summary><paramref name="text"/> with the passphrase and stream id replaced by <c>****</c>.</summary>
    public string Scrub(string text)
    {
        foreach (var secret in new[] { Passphrase, StreamId })
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 3) text = text.Replace(secret, "****", StringComparison.Ordinal);
        }
        return text;
    }

    /// <exception cref="ArgumentException">Not an srt:// caller URL as above; the message says what is wrong, without the secrets.</exception>
    public static SrtUrl Parse(string text) => TryParse(text, out var url, out var error) ? url : throw new ArgumentException(error, nameof(text));

    public static bool TryParse(string? text, out SrtUrl url, out string error)
    {
        url = null!;
        const string Shape = "expected srt://host:port[?latency=ms&passphrase=...&streamid=...]";
        text = text?.Trim() ?? "";
        if (!text.StartsWith("srt://", StringComparison.OrdinalIgnoreCase))
        {
            error = $"SRT URL must use the srt scheme; {Shape}";
            return false;
        }
        var rest = text[6..];
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var authority = (queryStart < 0 ? rest : rest[..queryStart]).TrimEnd('/');
        var query = queryStart < 0 ? "" : rest[(queryStart + 1)..];
        if (authority.Contains('@', StringComparison.Ordinal) || authority.Contains('/', StringComparison.Ordinal))
        {
            error = $"SRT URL has no path and no user part; {Shape}";
            return false;
        }
        var colon = authority.LastIndexOf(':');
        var host = colon > 0 ? authority[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (host.Length == 0 || colon < 0 || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"SRT URL needs a host and a port (1..65535); {Shape}";
            return false;
        }
        var latency = DefaultLatencyMilliseconds;
        string? passphrase = null;
        string? streamId = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            switch (name)
            {
                case "latency" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is >= 20 and <= 8000:
                    latency = ms;
                    break;
                case "latency":
                    error = $"SRT URL latency must be 20..8000 milliseconds (got '{value}')";
                    return false;
                case "passphrase" when value.Length is >= 10 and <= 79:
                    passphrase = value;
                    break;
                case "passphrase":
                    error = $"SRT URL passphrase must be 10..79 characters (got {value.Length})";
                    return false;
                case "streamid" when value.Length is > 0 and <= 512:
                    streamId = value;
                    break;
                case "streamid":
                    error = "SRT URL streamid must be 1..512 characters";
                    return false;
                case "mode" when value.Equals("caller", StringComparison.OrdinalIgnoreCase):
                    break;
                case "mode":
                    error = $"SRT outputs connect as caller; mode '{value}' is not supported";
                    return false;
                default:
                    error = $"SRT URL has an unknown parameter '{name}' (latency, passphrase, streamid, mode=caller)";
                    return false;
            }
        }
        url = new SrtUrl(host, port, latency, passphrase, streamId);
        error = "";
        return true;
    }
}
