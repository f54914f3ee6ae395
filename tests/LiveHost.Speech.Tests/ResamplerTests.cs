using LiveHost.Speech;

namespace LiveHost.Speech.Tests;

public sealed class ResamplerTests
{
    private const double Amplitude = 10000;

    private static short[] Sine(double frequency, int rate, int count, double amplitude = Amplitude) =>
        Enumerable.Range(0, count).Select(i => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray();

    /// <summary>Resamples in pieces of the given sizes (cycled), then flushes.</summary>
    private static short[] Run(Resampler resampler, short[] input, int[] pieces)
    {
        var result = new List<short>();
        var buffer = new short[resampler.MaxOutputLength(pieces.Max())];
        var position = 0;
        for (var p = 0; position < input.Length; p++)
        {
            var size = Math.Min(pieces[p % pieces.Length], input.Length - position);
            var written = resampler.Process(input.AsSpan(position, size), buffer);
            result.AddRange(buffer.AsSpan(0, written));
            position += size;
        }
        var tail = new short[resampler.MaxOutputLength(0)];
        result.AddRange(tail.AsSpan(0, resampler.Flush(tail)));
        return [.. result];
    }

    [Fact]
    public void Sine1kHz_StaysA1kHzSineOfTheSameAmplitude()
    {
        var input = Sine(1000, 22050, 22050);
        var output = Run(new Resampler(), input, [1324]);

        // Away from the edges (where the signal starts and stops).
        var steady = output.AsSpan(4800, 38400); // 0.8 s
        var crossings = 0;
        for (var i = 1; i < steady.Length; i++) if ((steady[i - 1] < 0) != (steady[i] < 0)) crossings++;
        var frequency = crossings / 2.0 / 0.8;
        Assert.InRange(frequency, 995, 1005);

        var rms = SpeechCapture.Rms(steady);
        var gainDb = 20 * Math.Log10(rms * Math.Sqrt(2) / Amplitude);
        Assert.InRange(gainDb, -1, 1);
    }

    [Fact]
    public void Output_IsTheExactDurationOfTheInput()
    {
        foreach (var length in new[] { 1, 146, 147, 148, 1000, 22050, 22051 })
        {
            var output = Run(new Resampler(), new short[length], [333]);
            Assert.Equal((int)Math.Ceiling(length * 48000.0 / 22050), output.Length);
        }
    }

    [Fact]
    public void ChunkBoundaries_DoNotChangeTheOutput()
    {
        var random = new Random(1234);
        var input = Enumerable.Range(0, 30000).Select(i => (short)(8000 * Math.Sin(i * 0.13) + random.Next(-2000, 2000))).ToArray();
        var whole = Run(new Resampler(), input, [input.Length]);
        foreach (var pieces in new[] { new[] { 1324 }, new[] { 1 }, new[] { 7, 1324, 2, 500, 16, 17 }, new[] { 15, 16, 17 } })
        {
            var chunked = Run(new Resampler(), input, pieces);
            Assert.Equal(whole, chunked);
        }
    }

    [Fact]
    public void ChunkedSine_HasNoStepAtAnyBoundary()
    {
        var input = Sine(1000, 22050, 11025);
        var output = Run(new Resampler(), input, [1324, 7, 300]);
        // The steepest a 1 kHz sine gets between two 48 kHz samples, plus 10% for rounding.
        var maxStep = 2 * Math.PI * 1000 / 48000 * Amplitude * 1.1;
        for (var i = 1; i < output.Length; i++)
        {
            var step = Math.Abs(output[i] - output[i - 1]);
            Assert.True(step <= maxStep, $"step of {step} at output sample {i}");
        }
    }

    [Fact]
    public void Images_AreRemoved()
    {
        // Upsampling a 1 kHz tone naively leaves images at 22050 +- 1000 Hz; the filter must take them out.
        var output = Run(new Resampler(), Sine(1000, 22050, 22050), [1324]).AsSpan(4800, 38400);
        var tone = GoertzelPower(output, 1000, 48000);
        foreach (var image in new[] { 21050.0, 23050.0 })
        {
            var ratioDb = 10 * Math.Log10(GoertzelPower(output, image, 48000) / tone);
            Assert.True(ratioDb < -60, $"image at {image} Hz is only {ratioDb:F1} dB down");
        }
    }

    [Fact]
    public void ConstantInput_StaysConstant()
    {
        var output = Run(new Resampler(), Enumerable.Repeat((short)5000, 5000).ToArray(), [100]);
        Assert.All(output.AsSpan(100, output.Length - 200).ToArray(), s => Assert.InRange(s, 4999, 5001));
    }

    [Fact]
    public void EventOffsets_MapToTheSameTimeInTheOutput()
    {
        var resampler = new Resampler();
        Assert.Equal(48000, resampler.ToOutputOffset(22050));
        Assert.Equal(320, resampler.ToOutputOffset(147));
        // An impulse at input sample 2205 (0.1 s) peaks at output sample 4800.
        var input = new short[4410];
        input[2205] = 20000;
        var output = Run(resampler, input, [512]);
        var peak = Array.IndexOf(output, output.Max());
        Assert.Equal(resampler.ToOutputOffset(2205), peak);
    }

    [Fact]
    public void Reset_StartsAFreshSignal()
    {
        var resampler = new Resampler();
        var input = Sine(440, 22050, 3000);
        var first = Run(resampler, input, [256]);
        resampler.Reset();
        var second = Run(resampler, input, [256]);
        Assert.Equal(first, second);
    }

    private static double GoertzelPower(ReadOnlySpan<short> samples, double frequency, int rate)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / rate);
        double s1 = 0, s2 = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            // Hann window against leakage from the strong tone.
            var w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (samples.Length - 1));
            var s0 = samples[i] * w + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }
}
