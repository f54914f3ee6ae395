namespace LiveHost.Inference.Audio;

/// <summary>
/// In-place complex forward DFT, X[k] = sum_n x[n] e^(-2 pi i k n / N), for any N whose prime factors are 2, 3 or 5
/// (800 = 4 * 4 * 2 * 5 * 5, Wav2Lip's n_fft). Stockham autosort: each stage reads one buffer and writes the other, so
/// no bit-reversal pass is needed; every twiddle is precomputed. Not thread-safe (owns its work buffers).
/// </summary>
/// <remarks>
/// Chosen over a precomputed 401 x 800 real DFT matrix (641k multiply-adds per column) and Bluestein (three
/// power-of-two FFTs of 2048): this does about 800 * 5 butterflies per column.
/// </remarks>
public sealed class MixedRadixFft
{
    private readonly int[] _factors;
    // Per stage s: twiddles w^(q r) for q < m, r < p, flattened at _twiddleOffsets[s].
    private readonly double[] _twiddleRe;
    private readonly double[] _twiddleIm;
    private readonly int[] _twiddleOffsets;
    private readonly double[] _workRe;
    private readonly double[] _workIm;
    private readonly double[] _aRe = new double[5];
    private readonly double[] _aIm = new double[5];

    // exp(-2 pi i j / 3) and exp(-2 pi i j / 5) for the small generic butterflies.
    private static readonly double[] Root3Re = [1, -0.5, -0.5];
    private static readonly double[] Root3Im = [0, -Math.Sqrt(3) / 2, Math.Sqrt(3) / 2];
    private static readonly double[] Root5Re = MakeRoots(5, cos: true);
    private static readonly double[] Root5Im = MakeRoots(5, cos: false);

    public MixedRadixFft(int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be positive.");
        Size = size;
        _factors = Factorize(size);
        _twiddleOffsets = new int[_factors.Length];
        var total = 0;
        var n = size;
        for (var s = 0; s < _factors.Length; s++)
        {
            _twiddleOffsets[s] = total;
            total += n; // m * p == n
            n /= _factors[s];
        }
        _twiddleRe = new double[total];
        _twiddleIm = new double[total];
        n = size;
        for (var s = 0; s < _factors.Length; s++)
        {
            var p = _factors[s];
            var m = n / p;
            for (var q = 0; q < m; q++)
            {
                for (var r = 0; r < p; r++)
                {
                    var angle = -2 * Math.PI * q * r / n;
                    _twiddleRe[_twiddleOffsets[s] + (q * p) + r] = Math.Cos(angle);
                    _twiddleIm[_twiddleOffsets[s] + (q * p) + r] = Math.Sin(angle);
                }
            }
            n = m;
        }
        _workRe = new double[size];
        _workIm = new double[size];
    }

    public int Size { get; }

    /// <summary>Transforms <paramref name="re"/> + i <paramref name="im"/> (each <see cref="Size"/> long) in place.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        if (re.Length != Size || im.Length != Size)
            throw new ArgumentException($"FFT of size {Size} needs spans of exactly {Size} values.");
        Span<double> xr = re, xi = im, yr = _workRe, yi = _workIm;
        var n = Size;
        var stride = 1;
        for (var s = 0; s < _factors.Length; s++)
        {
            var p = _factors[s];
            var m = n / p;
            var tw = _twiddleOffsets[s];
            switch (p)
            {
                case 4: Radix4(xr, xi, yr, yi, m, stride, tw); break;
                case 2: Radix2(xr, xi, yr, yi, m, stride, tw); break;
                case 3: RadixGeneric(xr, xi, yr, yi, m, stride, tw, 3, Root3Re, Root3Im); break;
                default: RadixGeneric(xr, xi, yr, yi, m, stride, tw, 5, Root5Re, Root5Im); break;
            }
            var tr = xr; xr = yr; yr = tr;
            var ti = xi; xi = yi; yi = ti;
            n = m;
            stride *= p;
        }
        // After an odd number of stages the result sits in the work buffers.
        if ((_factors.Length & 1) == 1)
        {
            xr.CopyTo(re);
            xi.CopyTo(im);
        }
    }

    private void Radix2(Span<double> xr, Span<double> xi, Span<double> yr, Span<double> yi, int m, int s, int tw)
    {
        for (var q = 0; q < m; q++)
        {
            var wr = _twiddleRe[tw + (2 * q) + 1];
            var wi = _twiddleIm[tw + (2 * q) + 1];
            for (var j = 0; j < s; j++)
            {
                int i0 = j + (s * q), i1 = i0 + (s * m);
                double ar = xr[i0], ai = xi[i0], br = xr[i1], bi = xi[i1];
                var o = j + (s * 2 * q);
                yr[o] = ar + br;
                yi[o] = ai + bi;
                double dr = ar - br, di = ai - bi;
                yr[o + s] = (dr * wr) - (di * wi);
                yi[o + s] = (dr * wi) + (di * wr);
            }
        }
    }

    private void Radix4(Span<double> xr, Span<double> xi, Span<double> yr, Span<double> yi, int m, int s, int tw)
    {
        var sm = s * m;
        for (var q = 0; q < m; q++)
        {
            var t = tw + (4 * q);
            double w1r = _twiddleRe[t + 1], w1i = _twiddleIm[t + 1];
            double w2r = _twiddleRe[t + 2], w2i = _twiddleIm[t + 2];
            double w3r = _twiddleRe[t + 3], w3i = _twiddleIm[t + 3];
            for (var j = 0; j < s; j++)
            {
                var i0 = j + (s * q);
                double a0r = xr[i0], a0i = xi[i0];
                double a1r = xr[i0 + sm], a1i = xi[i0 + sm];
                double a2r = xr[i0 + (2 * sm)], a2i = xi[i0 + (2 * sm)];
                double a3r = xr[i0 + (3 * sm)], a3i = xi[i0 + (3 * sm)];
                double s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
                double s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
                // b1 = d02 - i d13, b3 = d02 + i d13 (forward transform: w4 = -i).
                double b0r = s02r + s13r, b0i = s02i + s13i;
                double b2r = s02r - s13r, b2i = s02i - s13i;
                double b1r = d02r + d13i, b1i = d02i - d13r;
                double b3r = d02r - d13i, b3i = d02i + d13r;
                var o = j + (s * 4 * q);
                yr[o] = b0r;
                yi[o] = b0i;
                yr[o + s] = (b1r * w1r) - (b1i * w1i);
                yi[o + s] = (b1r * w1i) + (b1i * w1r);
                yr[o + (2 * s)] = (b2r * w2r) - (b2i * w2i);
                yi[o + (2 * s)] = (b2r * w2i) + (b2i * w2r);
                yr[o + (3 * s)] = (b3r * w3r) - (b3i * w3i);
                yi[o + (3 * s)] = (b3r * w3i) + (b3i * w3r);
            }
        }
    }

    private void RadixGeneric(
        Span<double> xr, Span<double> xi, Span<double> yr, Span<double> yi, int m, int s, int tw, int p,
        double[] rootRe, double[] rootIm)
    {
        var aRe = _aRe;
        var aIm = _aIm;
        for (var q = 0; q < m; q++)
        {
            for (var j = 0; j < s; j++)
            {
                for (var k = 0; k < p; k++)
                {
                    var i = j + (s * (q + (k * m)));
                    aRe[k] = xr[i];
                    aIm[k] = xi[i];
                }
                for (var r = 0; r < p; r++)
                {
                    double br = 0, bi = 0;
                    for (var k = 0; k < p; k++)
                    {
                        var e = r * k % p;
                        br += (aRe[k] * rootRe[e]) - (aIm[k] * rootIm[e]);
                        bi += (aRe[k] * rootIm[e]) + (aIm[k] * rootRe[e]);
                    }
                    double wr = _twiddleRe[tw + (q * p) + r], wi = _twiddleIm[tw + (q * p) + r];
                    var o = j + (s * ((p * q) + r));
                    yr[o] = (br * wr) - (bi * wi);
                    yi[o] = (br * wi) + (bi * wr);
                }
            }
        }
    }

    private static int[] Factorize(int n)
    {
        var factors = new List<int>();
        while (n % 4 == 0) { factors.Add(4); n /= 4; }
        while (n % 2 == 0) { factors.Add(2); n /= 2; }
        while (n % 3 == 0) { factors.Add(3); n /= 3; }
        while (n % 5 == 0) { factors.Add(5); n /= 5; }
        if (n != 1) throw new ArgumentOutOfRangeException(nameof(n), "FFT size must have only the prime factors 2, 3 and 5.");
        return [.. factors];
    }

    private static double[] MakeRoots(int p, bool cos)
    {
        var roots = new double[p];
        for (var j = 0; j < p; j++)
        {
            var angle = -2 * Math.PI * j / p;
            roots[j] = cos ? Math.Cos(angle) : Math.Sin(angle);
        }
        return roots;
    }
}
