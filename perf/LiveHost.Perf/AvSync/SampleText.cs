using System.Globalization;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.AvSync;

/// <summary>How the <c>av-sync</c> sample lists print: one decimal, "-" when there is nothing to print.</summary>
internal static class SampleText
{
    public static string Last(List<double> values) => values.Count == 0 ? "-" : values[^1].ToString("0.0", CultureInfo.InvariantCulture);

    public static string Median(List<double> values) => values.Count == 0 ? "-" : Distribution.Of(values).P50.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Range(List<double> values) => values.Count == 0 ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{values.Min():0.0}..{values.Max():0.0}");
}
