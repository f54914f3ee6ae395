namespace LiveHost.Host.Tests.Rooms;

/// <summary>How well a piece of received audio matches a longer known signal, wherever in it the piece lies.</summary>
internal static class AudioMatch
{
    private const int Hop = 160; // 10 ms at 16 kHz

    /// <summary>
    /// The highest normalised cross-correlation of <paramref name="received"/> (16 kHz) with a stretch of
    /// <paramref name="known"/> (16 kHz): loudness envelopes (10 ms) find the candidate offsets, then the waveforms are
    /// compared sample by sample around each. 1 is the same sound; unrelated speech stays near 0.
    /// </summary>
    public static double BestCorrelation(short[] received, short[] known)
    {
        if (received.Length < 16_000 || known.Length < received.Length) return 0;
        var x = Array.ConvertAll(received, s => (double)s);
        var y = Array.ConvertAll(known, s => (double)s);
        var a = Envelope(x);
        var b = Envelope(y);
        var candidates = new List<(double Score, int Lag)>();
        for (var lag = 0; lag + a.Length <= b.Length; lag++) candidates.Add((Pearson(a, b.AsSpan(lag, a.Length)), lag));
        var best = 0.0;
        foreach (var (_, lag) in candidates.OrderByDescending(c => c.Score).Take(5))
        {
            for (var fine = -Hop; fine <= Hop; fine++)
            {
                var start = lag * Hop + fine;
                if (start < 0 || start + received.Length > known.Length) continue;
                best = Math.Max(best, Pearson(x, y.AsSpan(start, x.Length)));
            }
        }
        return best;
    }

    private static double[] Envelope(double[] samples)
    {
        var envelope = new double[samples.Length / Hop];
        for (var i = 0; i < envelope.Length; i++)
        {
            double sum = 0;
            for (var j = 0; j < Hop; j++) sum += samples[i * Hop + j] * samples[i * Hop + j];
            envelope[i] = Math.Sqrt(sum / Hop);
        }
        return envelope;
    }

    private static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (var i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
