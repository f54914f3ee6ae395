namespace LiveHost.Host.Outputs;

/// <summary>
/// The one place a URL's scheme picks an output kind: <c>rtmp://</c> and <c>rtmps://</c> are RTMP outputs
/// (LiveHost.Rtmp). A new kind (SRT, WHIP, ...) adds its scheme here and its case in <see cref="RoomOutputs.Add"/>.
/// </summary>
public static class OutputKinds
{
    public const string Rtmp = "rtmp";

    /// <summary>The kind for <paramref name="url"/>'s scheme, or null with what is supported in <paramref name="error"/>.</summary>
    public static string? Of(string url, out string error)
    {
        error = "";
        var end = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = end > 0 ? url[..end].ToLowerInvariant() : "";
        switch (scheme)
        {
            case "rtmp" or "rtmps":
                return Rtmp;
            default:
                error = $"outputs take rtmp:// or rtmps:// URLs (got '{(end > 0 ? url[..end] : "no scheme")}')";
                return null;
        }
    }
}
