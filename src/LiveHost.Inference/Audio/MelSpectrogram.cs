using static LiveHost.Inference.Audio.MelParameters;

namespace LiveHost.Inference.Audio;

/// <summary>
/// Wav2Lip's audio.melspectrogram for 16 kHz mono: preemphasis (0.97), |STFT| (n_fft 800, hop 200, periodic Hann,
/// centred frames), Slaney mel filters (80 bands, 55..7600 Hz), 20 log10(max(1e-5, x)) - 20 dB, then the symmetric
/// normalisation clip(8 (S + 100) / 100 - 4, -4, 4). Output is row-major [80, T] with T = 1 + samples / 200, the layout
/// the models' "mel" input takes (column c is centred on sample 200 c, so there are 80 columns a second).
/// </summary>
/// <remarks>
/// Matches onnx-models/tools/melspec.py to well under 1e-3. Computes two columns per complex FFT (one as the real part,
/// one as the imaginary part). Owns its scratch buffers: not thread-safe, use one instance per room or thread.
/// Nothing is allocated per call.
/// </remarks>
public sealed class MelSpectrogram
{
    private const int Bins = (FftSize / 2) + 1;

    private readonly MixedRadixFft _fft = new(FftSize);
    private readonly MelFilterBank _filters = new(SampleRate, FftSize, Bands, FminHz, FmaxHz);
    private readonly double[] _window = new double[FftSize];
    private readonly double[] _re = new double[FftSize];
    private readonly double[] _im = new double[FftSize];
    private readonly double[] _magnitudeA = new double[Bins];
    private readonly double[] _magnitudeB = new double[Bins];

    public MelSpectrogram()
    {
        // scipy.signal.get_window('hann', 800, fftbins=True): the periodic Hann window librosa uses.
        for (var n = 0; n < FftSize; n++) _window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / FftSize));
    }

    public MelFilterBank Filters => _filters;

    /// <summary>Columns the spectrogram of <paramref name="samples"/> 16 kHz samples has: 1 + samples / 200.</summary>
    public static int ColumnCount(int samples) => 1 + (samples / HopLength);

    /// <summary>
    /// Computes the whole spectrogram of <paramref name="wav16k"/> into <paramref name="destination"/>
    /// ([80, <see cref="ColumnCount"/>] row-major). The signal's ends are reflect-padded like librosa's centred STFT,
    /// so it needs more than 400 samples.
    /// </summary>
    public void Compute(ReadOnlySpan<float> wav16k, Span<float> destination)
    {
        if (wav16k.Length <= FftSize / 2)
            throw new ArgumentException($"Need more than {FftSize / 2} samples for the centred STFT; got {wav16k.Length}.", nameof(wav16k));
        var columns = ColumnCount(wav16k.Length);
        if (destination.Length < Bands * columns)
            throw new ArgumentException($"Destination needs {Bands * columns} floats ([{Bands}, {columns}]); got {destination.Length}.", nameof(destination));
        ComputeColumns(wav16k, firstCenter: 0, columns, reflectEdges: true, destination, rowStride: columns);
    }

    /// <summary>Allocating convenience for offline use and tests: the spectrogram as a new [80, T] array.</summary>
    public float[] Compute(ReadOnlySpan<float> wav16k)
    {
        var result = new float[Bands * ColumnCount(wav16k.Length)];
        Compute(wav16k, result);
        return result;
    }

    /// <summary>
    /// Computes <paramref name="columns"/> columns whose centres are samples firstCenter + 200 j of
    /// <paramref name="signal"/>, writing column j at destination[band * rowStride + j]. Samples outside the signal
    /// are either mirrored (librosa's reflect padding, for whole utterances) or zero (for windows cut out of a stream).
    /// </summary>
    internal void ComputeColumns(
        ReadOnlySpan<float> signal, int firstCenter, int columns, bool reflectEdges, Span<float> destination, int rowStride)
    {
        for (var j = 0; j < columns; j += 2)
        {
            var pair = j + 1 < columns;
            var center = firstCenter + (j * HopLength);
            FillFrame(signal, center, reflectEdges, _re);
            if (pair) FillFrame(signal, center + HopLength, reflectEdges, _im);
            else _im.AsSpan().Clear();
            _fft.Forward(_re, _im);
            SplitMagnitudes(pair);
            WriteColumn(_magnitudeA, destination, rowStride, j);
            if (pair) WriteColumn(_magnitudeB, destination, rowStride, j + 1);
        }
    }

    // Preemphasised (y[n] = x[n] - 0.97 x[n-1], x[-1] = 0), padded and Hann-windowed samples of one STFT frame.
    private void FillFrame(ReadOnlySpan<float> x, int center, bool reflect, Span<double> frame)
    {
        var start = center - (FftSize / 2);
        if (start >= 1 && start + FftSize <= x.Length)
        {
            var src = x.Slice(start - 1, FftSize + 1);
            for (var n = 0; n < FftSize; n++) frame[n] = (src[n + 1] - (Preemphasis * src[n])) * _window[n];
            return;
        }
        for (var n = 0; n < FftSize; n++) frame[n] = Emphasised(x, start + n, reflect) * _window[n];
    }

    private static double Emphasised(ReadOnlySpan<float> x, int i, bool reflect)
    {
        if (reflect)
        {
            // numpy.pad(mode='reflect') of the already-emphasised signal: mirror without repeating the edge sample.
            if (i < 0) i = -i;
            else if (i >= x.Length) i = (2 * (x.Length - 1)) - i;
        }
        if ((uint)i >= (uint)x.Length) return 0;
        var previous = i > 0 ? x[i - 1] : 0f;
        return x[i] - (Preemphasis * previous);
    }

    // Z = FFT(a + i b) gives A[k] = (Z[k] + conj Z[N-k]) / 2 and B[k] = (Z[k] - conj Z[N-k]) / 2i.
    private void SplitMagnitudes(bool pair)
    {
        for (var k = 0; k < Bins; k++)
        {
            var nk = k == 0 ? 0 : FftSize - k;
            double zr = _re[k], zi = _im[k], cr = _re[nk], ci = -_im[nk];
            double ar = 0.5 * (zr + cr), ai = 0.5 * (zi + ci);
            _magnitudeA[k] = Math.Sqrt((ar * ar) + (ai * ai));
            if (pair)
            {
                double br = 0.5 * (zi - ci), bi = -0.5 * (zr - cr);
                _magnitudeB[k] = Math.Sqrt((br * br) + (bi * bi));
            }
        }
    }

    private void WriteColumn(ReadOnlySpan<double> magnitude, Span<float> destination, int rowStride, int column)
    {
        for (var b = 0; b < Bands; b++)
        {
            var mel = _filters.Apply(b, magnitude);
            var db = (20 * Math.Log10(Math.Max(1e-5, mel))) - RefLevelDb;
            var normalised = (2 * MaxAbsValue * ((db - MinLevelDb) / -MinLevelDb)) - MaxAbsValue;
            destination[(b * rowStride) + column] = (float)Math.Clamp(normalised, -MaxAbsValue, MaxAbsValue);
        }
    }
}
