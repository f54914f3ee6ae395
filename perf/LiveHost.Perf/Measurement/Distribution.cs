using System.Text.Json.Serialization;

namespace LiveHost.Perf.Measurement;

/// <summary>Summary of a set of samples: nearest-rank percentiles, so every reported value is one that was measured.</summary>
public sealed record Distribution(int Count, double Mean, double P50, double P95, double Max, double Min)
{
    [JsonIgnore]
    public bool IsEmpty => Count == 0;

    public static Distribution Of(IEnumerable<double> samples)
    {
        var sorted = samples.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return new Distribution(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        return new Distribution(sorted.Length, sorted.Average(), Rank(sorted, 0.50), Rank(sorted, 0.95), sorted[^1], sorted[0]);
    }

    /// <summary>The nearest-rank <paramref name="p"/> quantile of samples already sorted ascending; NaN when there are none.</summary>
    public static double Rank(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
