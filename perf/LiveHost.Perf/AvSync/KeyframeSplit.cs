using System.Globalization;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.AvSync;

/// <summary>
/// The element's offsets split by whether the marker frame was a keyframe. Keyframes come every 2 s, the markers' own
/// period, so in one run the markers either all fall on keyframes or none do (the phase is set by the keyframe a viewer's
/// join asks for); a keyframe arrives in more packets and decodes longer, which shows its frame later.
/// </summary>
public sealed record KeyframeSplit(Distribution OnKeyframes, Distribution Others, int KeyframesCoded = 0)
{
    public static KeyframeSplit Of(IReadOnlyList<double> offsetsMs, IReadOnlyList<bool> onKeyframe, int keyframesCoded)
    {
        var on = new List<double>();
        var off = new List<double>();
        for (var i = 0; i < Math.Min(offsetsMs.Count, onKeyframe.Count); i++) (onKeyframe[i] ? on : off).Add(offsetsMs[i]);
        return new KeyframeSplit(Distribution.Of(on), Distribution.Of(off), keyframesCoded);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{KeyframesCoded} keyframes coded; markers on keyframes {OnKeyframes.Count} (p50 {Text(OnKeyframes)} ms), on other frames {Others.Count} (p50 {Text(Others)} ms)");

    private static string Text(Distribution d) => d.Count == 0 ? "-" : d.P50.ToString("0.0", CultureInfo.InvariantCulture);
}
