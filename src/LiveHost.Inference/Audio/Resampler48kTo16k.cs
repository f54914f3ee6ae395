using System.Numerics;
using System.Runtime.InteropServices;

namespace LiveHost.Inference.Audio;

/// <summary>
/// 48 kHz to 16 kHz decimation by 3 with a linear-phase windowed-sinc low-pass, exactly as
/// onnx-models/tools/melspec.py's resample_48k_to_16k: y[m] = sum_{j=-96..96} h[j] x[3m - j] with samples outside the
/// input taken as zero, h[j] = (1/3) sinc(j / 3) * blackman193[j + 96] normalised to unit DC gain. Cut-off 8 kHz,
/// transition about +-1.4 kHz, stop band about -74 dB; Wav2Lip's mel filters stop at 7.6 kHz. Output m is aligned with
/// input 3m (no delay). Only the kept outputs are computed (the polyphase shortcut), each a 193-tap SIMD dot product.
/// Immutable after construction: one instance may be shared by all rooms.
/// </summary>
public sealed class Resampler48kTo16k
{
    public const int HalfTaps = 96;
    public const int Factor = 3;

    private readonly float[] _taps = new float[(2 * HalfTaps) + 1];

    public Resampler48kTo16k()
    {
        const int n = (2 * HalfTaps) + 1;
        var h = new double[n];
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var j = i - HalfTaps;
            var u = j / 3.0;
            var sinc = j == 0 ? 1.0 : Math.Sin(Math.PI * u) / (Math.PI * u);
            var blackman = 0.42 - (0.5 * Math.Cos(2 * Math.PI * i / (n - 1))) + (0.08 * Math.Cos(4 * Math.PI * i / (n - 1)));
            h[i] = sinc / 3.0 * blackman;
            sum += h[i];
        }
        for (var i = 0; i < n; i++) _taps[i] = (float)(h[i] / sum);
    }

    /// <summary>The filter, symmetric, centre tap at <see cref="HalfTaps"/>.</summary>
    public ReadOnlySpan<float> Taps => _taps;

    /// <summary>Output length for a whole signal: ceil(samples / 3).</summary>
    public static int OutputLength(int samples48k) => (samples48k + Factor - 1) / Factor;

    /// <summary>Resamples a whole signal; <paramref name="output"/> needs <see cref="OutputLength"/> floats.</summary>
    public void Resample(ReadOnlySpan<float> input48k, Span<float> output16k)
    {
        var count = OutputLength(input48k.Length);
        if (output16k.Length < count)
            throw new ArgumentException($"Output needs {count} samples; got {output16k.Length}.", nameof(output16k));
        Resample(input48k, firstOutputAt: 0, output16k[..count]);
    }

    /// <summary>
    /// Computes output16k.Length outputs, output m aligned with input sample firstOutputAt + 3m (which may lie outside
    /// the input: those inputs count as zero), so a window of a longer stream can be resampled on its own.
    /// </summary>
    public void Resample(ReadOnlySpan<float> input48k, int firstOutputAt, Span<float> output16k)
    {
        var taps = _taps.AsSpan();
        for (var m = 0; m < output16k.Length; m++)
        {
            var start = firstOutputAt + (Factor * m) - HalfTaps;
            if (start >= 0 && start + taps.Length <= input48k.Length)
            {
                output16k[m] = Dot(taps, input48k.Slice(start, taps.Length));
                continue;
            }
            // Partly outside the input: only the overlapping taps count (the filter is symmetric, so no reversal).
            var from = Math.Max(0, -start);
            var to = Math.Min(taps.Length, input48k.Length - start);
            output16k[m] = from < to ? Dot(taps[from..to], input48k.Slice(start + from, to - from)) : 0f;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var acc = Vector<float>.Zero;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            var end = Math.Min(a.Length, b.Length) - Vector<float>.Count;
            for (; i <= end; i += Vector<float>.Count)
                acc += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
        }
        var sum = Vector.Sum(acc);
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
