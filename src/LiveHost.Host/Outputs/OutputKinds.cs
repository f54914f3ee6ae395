using LiveHost.Host.Outputs.Whip;

namespace LiveHost.Host.Outputs;

/// <summary>
/// The one place an output URL's scheme picks the output implementation: <c>rtmp://</c> is RTMP push
/// (<see cref="LiveHost.Rtmp.RtmpOutputSet"/>), <c>https://</c> (or <c>http://</c>, for loopback tests) is WHIP push
/// (<see cref="WhipOutputSet"/>). Add a kind here and nowhere else.
/// </summary>
public static class OutputKinds
{
    public const string Rtmp = "rtmp";
    public const string Whip = "whip";

    /// <summary>The kind for <paramref name="url"/>; RTMP for anything not WHIP, so RTMP's parser says what is wrong with an unknown scheme.</summary>
    public static string Of(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Whip : Rtmp;

    /// <summary>Null when <paramref name="url"/> is a valid output URL of its kind, else what is wrong.</summary>
    public static string? Validate(string url) =>
        Of(url) == Whip
            ? (WhipUrl.TryParse(url, out _, out var whipError) ? null : whipError)
            : (LiveHost.Rtmp.RtmpUrl.TryParse(url, out _, out var rtmpError) ? null : rtmpError);

    /// <summary>The host the URL connects to, for the private-network check; null when it does not parse.</summary>
    public static string? Host(string url) =>
        Of(url) == Whip
            ? (WhipUrl.TryParse(url, out var whip, out _) ? whip.Endpoint.Host : null)
            : (LiveHost.Rtmp.RtmpUrl.TryParse(url, out var rtmp, out _) ? rtmp.Host : null);
}
