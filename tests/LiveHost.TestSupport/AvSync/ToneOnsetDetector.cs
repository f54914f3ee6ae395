using LiveHost.Media;

namespace LiveHost.TestSupport.AvSync;

/// <summary>
/// Finds the <see cref="AvSyncMarker"/> tone bursts in decoded mono PCM, as the page's AudioWorklet does: the tone's
/// amplitude over each 64-sample window (a single-bin DFT at the marker frequency), an onset at the first window over
/// the threshold, then nothing for half a second.
/// </summary>
public static class ToneOnsetDetector
{
    public const int Window = 64;

    /// <summary>Sample positions (of the window's first sample) where a burst starts.</summary>
    public static List<long> Find(ReadOnlySpan<short> samples, int sampleRate, double threshold, long firstSamplePosition = 0, long lastOnset = long.MinValue / 2)
    {
        var onsets = new List<long>();
        var w = 2 * Math.PI * AvSyncMarker.FrequencyHz / sampleRate;
        var quiet = sampleRate / 2;
        for (var h = 0; h + Window <= samples.Length; h += Window)
        {
            double re = 0, im = 0;
            for (var i = 0; i < Window; i++)
            {
                var x = samples[h + i] / 32768.0;
                var phase = w * (firstSamplePosition + h + i);
                re += x * Math.Cos(phase);
                im += x * Math.Sin(phase);
            }
            var amplitude = 2 * Math.Sqrt(re * re + im * im) / Window;
            var position = firstSamplePosition + h;
            if (amplitude > threshold && position - lastOnset > quiet)
            {
                onsets.Add(position);
                lastOnset = position;
            }
        }
        return onsets;
    }
}
