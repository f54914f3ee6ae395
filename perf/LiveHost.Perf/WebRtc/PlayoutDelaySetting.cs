using System.Globalization;
using LiveHost.WebRtc.Rtp.Extensions;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// A benchmark's <c>--playout-delay</c>: "" keeps the host's settings, "off" sends no playout-delay extension,
/// "MIN/MAX" sends these bounds (ms). Turned into the host's <c>WebRtc:</c> settings.
/// </summary>
public sealed record PlayoutDelaySetting(bool? Send, int MinMs, int MaxMs)
{
    public static PlayoutDelaySetting Parse(string text)
    {
        if (text.Length == 0) return new PlayoutDelaySetting(null, 0, 0);
        if (text == "off") return new PlayoutDelaySetting(false, 0, 0);
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
            throw new ArgumentException($"--playout-delay must be off or MIN/MAX in ms, e.g. 0/40 (was '{text}')");
        if (PlayoutDelay.Validate(min, max) is { } error) throw new ArgumentException("--playout-delay: " + error);
        return new PlayoutDelaySetting(true, min, max);
    }

    /// <summary>The host settings this stands for (none for the host's own).</summary>
    public IEnumerable<(string Key, string Value)> Settings()
    {
        if (Send is not { } send) yield break;
        yield return ("WebRtc:SendPlayoutDelay", send ? "true" : "false");
        if (!send) yield break;
        yield return ("WebRtc:PlayoutDelayMinMs", MinMs.ToString(CultureInfo.InvariantCulture));
        yield return ("WebRtc:PlayoutDelayMaxMs", MaxMs.ToString(CultureInfo.InvariantCulture));
    }

    public override string ToString() => Send switch
    {
        null => "host settings (WebRtc:SendPlayoutDelay, PlayoutDelayMinMs/MaxMs)",
        false => "off (no playout-delay extension)",
        true => $"{MinMs}/{MaxMs} ms",
    };
}
