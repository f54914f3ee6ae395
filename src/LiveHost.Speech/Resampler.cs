using System.Numerics;
using System.Runtime.CompilerServices;

namespace LiveHost.Speech;

/// <summary>
/// Streaming rational resampler (windowed-sinc, polyphase) for mono 16-bit audio, by default espeak-ng's 22050 Hz
/// to the 48 kHz of the media pipeline (ratio 320/147).
/// </summary>
/// <remarks>
/// Output sample m lies at input time m * inRate / outRate exactly: no added delay, so an event at input sample s
/// belongs at output sample s * outRate / inRate. The filter needs <see cref="HalfTaps"/> input samples after the
/// one it interpolates, so <see cref="Process"/> holds that many back until more input (or <see cref="Flush"/>)
/// arrives. State carries across calls, so the output does not depend on how the input was cut into pieces.
/// The low-pass sits at 0.92 of the lower Nyquist frequency with a Kaiser window (beta 8): flat to about 9 kHz for
/// 22050 Hz speech, images and aliases at least ~70 dB down.
/// </remarks>
public sealed class Resampler
{
    public const int HalfTaps = 16;
    private const int Taps = 2 * HalfTaps;
    private const double Cutoff = 0.92;
    private const double KaiserBeta = 8.0;

    private readonly int _up;    // output steps per input sample (phases)
    private readonly int _down;  // phase advance per output sample
    private readonly float[] _coefficients; // [_up][Taps]

    // Input not yet fully used. _buffer[0] is the input sample with index _bufferStart (negative ones are the
    // zeros before the start of the signal).
    private float[] _buffer = new float[4096];
    private int _count;
    private long _bufferStart;
    private long _inputCount;

    // The next output sample lies at input time _index + _phase / _up.
    private long _index;
    private int _phase;
    private bool _flushed;

    public Resampler(int inputRate = 22050, int outputRate = 48000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        var gcd = Gcd(inputRate, outputRate);
        _up = outputRate / gcd;
        _down = inputRate / gcd;
        if (_up > 4096) throw new ArgumentException($"Rates {inputRate} -> {outputRate} need {_up} filter phases; at most 4096 are supported.");
        InputRate = inputRate;
        OutputRate = outputRate;
        _coefficients = DesignFilter(_up, Math.Min(1.0, (double)outputRate / inputRate) * Cutoff);
        Reset();
    }

    public int InputRate { get; }
    public int OutputRate { get; }

    /// <summary>Input samples given since the last <see cref="Reset"/>.</summary>
    public long InputCount => _inputCount;

    /// <summary>Where input sample <paramref name="inputSample"/> lands in the output.</summary>
    public long ToOutputOffset(long inputSample) => inputSample * OutputRate / InputRate;

    /// <summary>The most samples one <see cref="Process"/> of <paramref name="inputLength"/> samples (or a flush) can write.</summary>
    public int MaxOutputLength(int inputLength) =>
        (int)((long)(inputLength + HalfTaps + 1) * _up / _down) + 2;

    /// <summary>Starts a new signal: forgets all input.</summary>
    public void Reset()
    {
        _count = HalfTaps;
        Array.Clear(_buffer, 0, HalfTaps);
        _bufferStart = -HalfTaps;
        _inputCount = 0;
        _index = 0;
        _phase = 0;
        _flushed = false;
    }

    /// <summary>Adds input and writes every output sample that input completes.</summary>
    /// <returns>The number of samples written to <paramref name="output"/>.</returns>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        if (_flushed) throw new InvalidOperationException("The resampler was flushed; Reset it before giving it more input.");
        EnsureCapacity(_count + input.Length);
        var dst = _buffer.AsSpan(_count, input.Length);
        for (var i = 0; i < input.Length; i++) dst[i] = input[i];
        _count += input.Length;
        _inputCount += input.Length;
        return Drain(output, _inputCount);
    }

    /// <summary>Ends the signal: writes the last output samples, up to the output time of the end of the input.</summary>
    public int Flush(Span<short> output)
    {
        if (_flushed) return 0;
        EnsureCapacity(_count + HalfTaps);
        Array.Clear(_buffer, _count, HalfTaps);
        _count += HalfTaps;
        var written = Drain(output, _inputCount);
        _flushed = true;
        return written;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Drain(Span<short> output, long inputEnd)
    {
        var written = 0;
        var coefficients = _coefficients;
        var buffered = _buffer;
        while (true)
        {
            var local = (int)(_index - _bufferStart);
            // The filter reads input [index - HalfTaps + 1, index + HalfTaps]; and no output at or past the end.
            if (local + HalfTaps >= _count) break;
            if (_index >= inputEnd) break;
            if (written == output.Length) throw new ArgumentException("Output span too short; size it with MaxOutputLength.", nameof(output));

            var sum = Dot(ref coefficients[_phase * Taps], ref buffered[local - HalfTaps + 1]);
            output[written++] = (short)Math.Clamp(MathF.Round(sum), short.MinValue, short.MaxValue);

            _phase += _down;
            while (_phase >= _up)
            {
                _phase -= _up;
                _index++;
            }
        }

        // Keep only what the next output still needs.
        var keepFrom = (int)(_index - _bufferStart) - HalfTaps + 1;
        if (keepFrom > 0)
        {
            keepFrom = Math.Min(keepFrom, _count);
            Array.Copy(_buffer, keepFrom, _buffer, 0, _count - keepFrom);
            _count -= keepFrom;
            _bufferStart += keepFrom;
        }
        return written;
    }

    // 32 taps as a few SIMD multiply-adds: this runs once per output sample (48,000 times a second per line).
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ref float taps, ref float window)
    {
        if (Vector.IsHardwareAccelerated && Taps % Vector<float>.Count == 0)
        {
            var acc = Vector<float>.Zero;
            for (var k = 0; k < Taps; k += Vector<float>.Count)
                acc += Vector.LoadUnsafe(ref taps, (nuint)k) * Vector.LoadUnsafe(ref window, (nuint)k);
            return Vector.Sum(acc);
        }
        var sum = 0f;
        for (var k = 0; k < Taps; k++) sum += Unsafe.Add(ref taps, k) * Unsafe.Add(ref window, k);
        return sum;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
    }

    // Phase p interpolates at fraction p/up between input samples; tap j weighs input index + (j - HalfTaps + 1),
    // which lies u = p/up - (j - HalfTaps + 1) input samples before the output time.
    private static float[] DesignFilter(int phases, double cutoff)
    {
        var coefficients = new float[phases * Taps];
        var i0Beta = BesselI0(KaiserBeta);
        var tap = new double[Taps];
        for (var p = 0; p < phases; p++)
        {
            var fraction = (double)p / phases;
            var sum = 0.0;
            for (var j = 0; j < Taps; j++)
            {
                var u = fraction - (j - HalfTaps + 1);
                var x = u / HalfTaps;
                var window = Math.Abs(x) >= 1 ? 0 : BesselI0(KaiserBeta * Math.Sqrt(1 - x * x)) / i0Beta;
                tap[j] = cutoff * Sinc(cutoff * u) * window;
                sum += tap[j];
            }
            // Unity gain at DC for every phase, so a constant input stays constant (no phase-dependent ripple).
            for (var j = 0; j < Taps; j++) coefficients[p * Taps + j] = (float)(tap[j] / sum);
        }
        return coefficients;
    }

    private static double Sinc(double x) => Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (var k = 1; k < 50; k++)
        {
            term *= x * x / (4.0 * k * k);
            sum += term;
            if (term < 1e-12 * sum) break;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
