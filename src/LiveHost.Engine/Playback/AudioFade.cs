namespace LiveHost.Engine.Playback;

/// <summary>Gain ramps for cuts and resumes: a step in a waveform is heard as a click, a 10 ms ramp is not.</summary>
public static class AudioFade
{
    /// <summary>Ramps the first <paramref name="fadeSamples"/> samples from full to zero and silences the rest.</summary>
    public static void FadeOut(Span<short> samples, int fadeSamples)
    {
        var n = Math.Min(fadeSamples, samples.Length);
        for (var i = 0; i < n; i++)
        {
            samples[i] = (short)(samples[i] * Gain(n - i, fadeSamples));
        }
        samples[n..].Clear();
    }

    /// <summary>Ramps the first <paramref name="fadeSamples"/> samples from zero to full.</summary>
    public static void FadeIn(Span<short> samples, int fadeSamples)
    {
        var n = Math.Min(fadeSamples, samples.Length);
        for (var i = 0; i < n; i++)
        {
            samples[i] = (short)(samples[i] * Gain(i, fadeSamples));
        }
    }

    // Raised-cosine: smooth at both ends, so the ramp itself adds no corner.
    private static float Gain(int step, int length) => 0.5f - 0.5f * MathF.Cos(MathF.PI * step / length);
}
