namespace LiveHost.Avatars.Realistic.LipSync;

/// <summary>
/// The alpha used to paste a generated 96x96 face back: 0 over the upper half (Wav2Lip only regenerates the lower
/// face; the eyes stay the recording's), rising smoothly to 1 below the middle, and fading to 0 towards the left,
/// right and bottom edges, so the seam between generated and recorded pixels is invisible. Computed once.
/// </summary>
public sealed class FeatheredMask
{
    public FeatheredMask(int size, float featherFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
        Alpha = new float[size * size];
        var feather = Math.Max(1f, featherFraction * size);
        var top = size / 2f;
        for (var y = 0; y < size; y++)
        {
            var fromTop = SmoothStep((y + 0.5f - top) / feather);
            var fromBottom = SmoothStep((size - (y + 0.5f)) / feather);
            for (var x = 0; x < size; x++)
            {
                var fromSides = SmoothStep(Math.Min(x + 0.5f, size - (x + 0.5f)) / feather);
                Alpha[y * size + x] = fromTop * fromBottom * fromSides;
            }
        }
    }

    public int Size { get; }

    /// <summary>Row-major alpha, 0..1.</summary>
    public float[] Alpha { get; }

    private static float SmoothStep(float t)
    {
        t = Math.Clamp(t, 0f, 1f);
        return t * t * (3f - 2f * t);
    }
}
