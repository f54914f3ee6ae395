namespace LiveHost.Host.Outputs.Whip;

/// <summary>
/// A WHIP endpoint URL (RFC 9725): <c>https://host[:port]/path</c>, <c>http://</c> allowed (meant for loopback tests).
/// The Bearer token is the output's <c>bearerToken</c> field or, as before that field existed, the URL's password
/// (<c>https://:TOKEN@host/whip</c>); either way it is sent as <c>Authorization: Bearer TOKEN</c>, never in the URL,
/// and shown as <c>****@</c>.
/// </summary>
public sealed record WhipUrl(Uri Endpoint, string? BearerToken)
{
    /// <summary>The URL as the API shows it: the token and every query value masked.</summary>
    public string Masked
    {
        get
        {
            var builder = new UriBuilder(Endpoint) { UserName = "", Password = "" };
            var masked = builder.Uri.GetLeftPart(UriPartial.Path);
            if (BearerToken is not null) masked = masked.Replace("://", "://****@", StringComparison.Ordinal);
            if (Endpoint.Query.Length > 1)
                masked += "?" + string.Join('&', Endpoint.Query[1..].Split('&').Select(p => p.Split('=')[0] + "=****"));
            return masked;
        }
    }

    /// <summary>Parses <paramref name="url"/> (call <see cref="TryParse"/> first) with <paramref name="bearerToken"/>, if given, as its token.</summary>
    public static WhipUrl Parse(string url, string? bearerToken = null)
    {
        if (!TryParse(url, out var parsed, out var error)) throw new ArgumentException(error, nameof(url));
        return bearerToken is null ? parsed : parsed with { BearerToken = bearerToken };
    }

    /// <summary>The masked URL: a record would print its token.</summary>
    public override string ToString() => Masked;

    public static bool TryParse(string url, out WhipUrl parsed, out string error)
    {
        parsed = null!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            error = $"'{Mask(url)}' is not a WHIP endpoint URL: expected https://host/path (http:// for loopback tests)";
            return false;
        }
        if (string.IsNullOrEmpty(uri.Host))
        {
            error = "the WHIP endpoint URL has no host";
            return false;
        }
        string? token = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            token = Uri.UnescapeDataString(colon >= 0 ? uri.UserInfo[(colon + 1)..] : uri.UserInfo);
            if (token.Length == 0) token = null;
        }
        var endpoint = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        parsed = new WhipUrl(endpoint, token);
        error = "";
        return true;
    }

    private static string Mask(string url) => url.Contains('@', StringComparison.Ordinal) ? "(a URL with credentials)" : url;
}
