namespace LiveHost.WebRtc.Sdp.Tests;

/// <summary>Offers from Fixtures/*.sdp ('#' lines are labels), joined with CRLF as browsers send them.</summary>
internal static class OfferFixtures
{
    /// <summary>Captured from headless Chromium 156 (see the file's label): video, audio, data channel.</summary>
    public static string Chrome => Load("chrome-156-recvonly-offer.sdp");

    /// <summary>Hand-typed in Firefox's style (see the file's label).</summary>
    public static string Firefox => Load("firefox-style-recvonly-offer.sdp");

    public static string Load(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", name))
            .Where(l => !l.StartsWith('#') && l.Length > 0);
        return string.Join("\r\n", lines) + "\r\n";
    }

    /// <summary>The offer with every line for which <paramref name="drop"/> is true removed.</summary>
    public static string Without(string sdp, Func<string, bool> drop)
        => string.Join("\r\n", sdp.Split("\r\n").Where(l => !drop(l)));

    /// <summary>Replaces text in the offer, failing loudly if the text is not there (so a test cannot silently test nothing).</summary>
    public static string Replace(string sdp, string oldText, string newText)
    {
        if (!sdp.Contains(oldText, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"fixture does not contain \"{oldText}\"");
        }

        return sdp.Replace(oldText, newText, StringComparison.Ordinal);
    }
}
