namespace LiveHost.TestSupport.AvSync;

/// <summary>A marker frame shown (its stamp, and when, in ms on the reader's clock).</summary>
public readonly record struct MarkerFrame(long Value, double TimeMs);

/// <summary>One marker's audio-video offset: <see cref="AudioLeadMs"/> &gt; 0 when the sound came before the picture.</summary>
public readonly record struct AvOffset(long Value, double VideoMs, double AudioMs)
{
    public double AudioLeadMs => VideoMs - AudioMs;
}

/// <summary>
/// Pairs marker frames with tone onsets and summarises the offsets. Signs follow EBU R37: positive when the sound
/// leads the picture, negative when it lags; R37 asks for +40 ms to -60 ms at most. A frame is paired with the onset
/// nearest to it within half a marker period (so offsets beyond ±half a period would be misread; they would also be far
/// outside any bound), each onset used at most once.
/// </summary>
public sealed record AvSyncSummary(
    int Pairs, int UnpairedFrames, int UnpairedOnsets, double P50Ms, double P95AbsMs, double MaxAbsMs, double MinMs, double MaxMs,
    double MeanMs, double SlopeMsPerMinute, int OutsideR37, IReadOnlyList<AvOffset> Offsets)
{
    public const double R37LeadMs = 40;
    public const double R37LagMs = -60;

    public bool R37Compliant => Pairs > 0 && OutsideR37 == 0;

    public static AvSyncSummary Of(IEnumerable<MarkerFrame> frames, IEnumerable<double> onsetsMs, double periodMs)
    {
        var onsets = onsetsMs.Order().ToList();
        var used = new bool[onsets.Count];
        var offsets = new List<AvOffset>();
        var unpairedFrames = 0;
        foreach (var frame in frames.OrderBy(f => f.TimeMs))
        {
            var best = -1;
            for (var i = 0; i < onsets.Count; i++)
            {
                if (used[i] || Math.Abs(onsets[i] - frame.TimeMs) >= periodMs / 2) continue;
                if (best < 0 || Math.Abs(onsets[i] - frame.TimeMs) < Math.Abs(onsets[best] - frame.TimeMs)) best = i;
            }
            if (best < 0) { unpairedFrames++; continue; }
            used[best] = true;
            offsets.Add(new AvOffset(frame.Value, frame.TimeMs, onsets[best]));
        }
        var leads = offsets.Select(o => o.AudioLeadMs).ToArray();
        var abs = leads.Select(Math.Abs).ToArray();
        return new AvSyncSummary(offsets.Count, unpairedFrames, used.Count(u => !u),
            Percentile(leads, 0.5), Percentile(abs, 0.95), abs.Length > 0 ? abs.Max() : double.NaN,
            leads.Length > 0 ? leads.Min() : double.NaN, leads.Length > 0 ? leads.Max() : double.NaN,
            leads.Length > 0 ? leads.Average() : double.NaN, Slope(offsets), leads.Count(l => l > R37LeadMs || l < R37LagMs), offsets);
    }

    /// <summary>Least-squares slope of the offset against time, in ms of offset per minute (drift).</summary>
    private static double Slope(List<AvOffset> offsets)
    {
        if (offsets.Count < 3) return double.NaN;
        var t0 = offsets[0].VideoMs;
        var xs = offsets.Select(o => (o.VideoMs - t0) / 60_000).ToArray();
        var ys = offsets.Select(o => o.AudioLeadMs).ToArray();
        double mx = xs.Average(), my = ys.Average(), sxy = 0, sxx = 0;
        for (var i = 0; i < xs.Length; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) * (xs[i] - mx); }
        return sxx > 0 ? sxy / sxx : double.NaN;
    }

    private static double Percentile(double[] values, double q)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
