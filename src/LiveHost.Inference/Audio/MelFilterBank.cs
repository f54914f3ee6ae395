namespace LiveHost.Inference.Audio;

/// <summary>
/// librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax) with htk=False: triangles on the Slaney mel scale (linear below
/// 1 kHz, logarithmic above), each scaled by 2 / (upper edge - lower edge) ("slaney" area normalisation). Stored
/// sparsely: each band touches a few dozen FFT bins at most. Immutable, so one instance may be shared.
/// </summary>
public sealed class MelFilterBank
{
    private readonly int[] _firstBin;
    private readonly int[] _offsets;
    private readonly double[] _weights;

    public MelFilterBank(int sampleRate, int fftSize, int bands, double fminHz, double fmaxHz)
    {
        Bands = bands;
        Bins = 1 + (fftSize / 2);
        var melPoints = new double[bands + 2];
        double melMin = HzToMel(fminHz), melMax = HzToMel(fmaxHz);
        for (var i = 0; i < melPoints.Length; i++)
            melPoints[i] = MelToHz(melMin + ((melMax - melMin) * i / (bands + 1)));

        _firstBin = new int[bands];
        _offsets = new int[bands + 1];
        var dense = new double[Bins];
        var weights = new List<double>();
        for (var b = 0; b < bands; b++)
        {
            double lowerDiff = melPoints[b + 1] - melPoints[b], upperDiff = melPoints[b + 2] - melPoints[b + 1];
            var norm = 2.0 / (melPoints[b + 2] - melPoints[b]);
            int first = -1, last = -1;
            for (var k = 0; k < Bins; k++)
            {
                // Same arithmetic as librosa: fftfreqs = linspace(0, sr / 2, bins); ramps = mel_f - fftfreqs.
                var freq = (double)sampleRate / 2 * k / (Bins - 1);
                var lower = -(melPoints[b] - freq) / lowerDiff;
                var upper = (melPoints[b + 2] - freq) / upperDiff;
                dense[k] = Math.Max(0, Math.Min(lower, upper)) * norm;
                if (dense[k] > 0)
                {
                    if (first < 0) first = k;
                    last = k;
                }
            }
            if (first < 0) first = last = 0; // an empty band (cannot happen for Wav2Lip's settings) sums nothing
            _firstBin[b] = first;
            _offsets[b] = weights.Count;
            for (var k = first; k <= last; k++) weights.Add(dense[k]);
        }
        _offsets[bands] = weights.Count;
        _weights = [.. weights];
    }

    public int Bands { get; }

    /// <summary>Number of FFT bins a magnitude spectrum must have: 1 + n_fft / 2.</summary>
    public int Bins { get; }

    /// <summary>Weight of FFT bin <paramref name="bin"/> in band <paramref name="band"/> (0 outside the triangle).</summary>
    public double Weight(int band, int bin)
    {
        var i = bin - _firstBin[band];
        return i >= 0 && i < _offsets[band + 1] - _offsets[band] ? _weights[_offsets[band] + i] : 0;
    }

    /// <summary>Band energy: the weighted sum of <paramref name="magnitude"/> over the band's bins.</summary>
    public double Apply(int band, ReadOnlySpan<double> magnitude)
    {
        var start = _offsets[band];
        var count = _offsets[band + 1] - start;
        var w = _weights.AsSpan(start, count);
        var m = magnitude.Slice(_firstBin[band], count);
        double sum = 0;
        for (var i = 0; i < w.Length; i++) sum += w[i] * m[i];
        return sum;
    }

    /// <summary>Slaney's mel scale as librosa implements it (htk=False).</summary>
    public static double HzToMel(double hz)
    {
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        var logStep = Math.Log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + (Math.Log(hz / minLogHz) / logStep) : hz / fSp;
    }

    public static double MelToHz(double mel)
    {
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        var logStep = Math.Log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.Exp(logStep * (mel - minLogMel)) : fSp * mel;
    }
}
