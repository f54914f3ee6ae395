namespace LiveHost.Host.Tests.Avatars;

/// <summary>Pearson correlation and the lag that best lines two per-frame signals up.</summary>
public static class SignalStatistics
{
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count < 3) throw new ArgumentException("Pearson needs two series of the same length, 3 or more.");
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>
    /// The lag L in [-maxLag, maxLag] maximising corr(picture[n + L], sound[n]) over the overlap: L &gt; 0 means the
    /// picture follows the sound by L frames, L &lt; 0 that it runs ahead. Also returns each lag's correlation.
    /// </summary>
    public static (int Lag, double[] ByLag) BestLag(IReadOnlyList<double> picture, IReadOnlyList<double> sound, int maxLag,
        Func<int, bool>? includePicture = null)
    {
        var byLag = new double[2 * maxLag + 1];
        var best = 0;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            var x = new List<double>();
            var y = new List<double>();
            for (var n = 0; n < sound.Count; n++)
            {
                var m = n + lag;
                if (m < 0 || m >= picture.Count || includePicture?.Invoke(m) == false) continue;
                x.Add(picture[m]);
                y.Add(sound[n]);
            }
            byLag[lag + maxLag] = Pearson(x, y);
            if (byLag[lag + maxLag] > byLag[best + maxLag]) best = lag;
        }
        return (best, byLag);
    }

    /// <summary>
    /// <see cref="BestLag"/> refined to a fraction of a frame by a parabola through the peak and its neighbours
    /// (the usual sub-sample peak estimate of a cross-correlation). <paramref name="includePicture"/> leaves out picture
    /// frames (by index) that cannot show the alignment.
    /// </summary>
    public static (double Lag, int WholeLag, double[] ByLag) BestLagFractional(IReadOnlyList<double> picture, IReadOnlyList<double> sound, int maxLag,
        Func<int, bool>? includePicture = null)
    {
        var (lag, byLag) = BestLag(picture, sound, maxLag, includePicture);
        var i = lag + maxLag;
        if (i == 0 || i == byLag.Length - 1) return (lag, lag, byLag);
        var (left, peak, right) = (byLag[i - 1], byLag[i], byLag[i + 1]);
        var curvature = left - 2 * peak + right;
        var offset = curvature < 0 ? 0.5 * (left - right) / curvature : 0;
        return (lag + offset, lag, byLag);
    }

    /// <summary>Pearson r of picture[n + lag] against sound[n] over the frames <paramref name="include"/> picks (by n).</summary>
    public static double PearsonAtLag(IReadOnlyList<double> picture, IReadOnlyList<double> sound, int lag, Func<int, bool> include)
    {
        var x = new List<double>();
        var y = new List<double>();
        for (var n = 0; n < sound.Count; n++)
        {
            var m = n + lag;
            if (m < 0 || m >= picture.Count || !include(n)) continue;
            x.Add(picture[m]);
            y.Add(sound[n]);
        }
        return Pearson(x, y);
    }
}
