using LiveHost.Media;

namespace LiveHost.Encoding.Tests.Fixtures;

/// <summary>
/// TEST FIXTURE, synthetic content: a diagonal colour gradient that moves every frame (so every frame differs and
/// the encoder has real motion to code), and a pure sine tone. Nothing here is avatar output.
/// </summary>
public static class SyntheticTestPattern
{
    public static void DrawMovingGradient(Span<byte> bgra, int width, int height, long frameIndex)
    {
        var shift = (int)(frameIndex * 4);
        for (var y = 0; y < height; y++)
        {
            var row = bgra.Slice(y * width * 4, width * 4);
            for (var x = 0; x < width; x++)
            {
                row[x * 4 + 0] = (byte)(x + shift);
                row[x * 4 + 1] = (byte)(y + shift / 2);
                row[x * 4 + 2] = (byte)((x + y) / 2 + shift * 3);
                row[x * 4 + 3] = 255;
            }
        }
    }

    /// <summary>The samples of one tick of a continuous sine tone.</summary>
    public static short[] SineTone(double frequencyHz, long firstSample, int count, double amplitude = 0.3)
    {
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            var t = (firstSample + i) / (double)MediaFormat.AudioSampleRate;
            samples[i] = (short)Math.Round(Math.Sin(2 * Math.PI * frequencyHz * t) * amplitude * short.MaxValue);
        }
        return samples;
    }

    public static RawMediaTick Tick(MediaFormat format, FrameBufferPool pool, long frameIndex, double toneHz)
    {
        var pixels = pool.Rent();
        DrawMovingGradient(pixels, format.Width, format.Height, frameIndex);
        var samples = SineTone(toneHz, frameIndex * format.SamplesPerFrame, format.SamplesPerFrame);
        return new RawMediaTick(frameIndex, pixels, pool, samples, System.Diagnostics.Stopwatch.GetTimestamp());
    }
}
