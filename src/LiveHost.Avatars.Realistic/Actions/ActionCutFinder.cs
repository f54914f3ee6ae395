namespace LiveHost.Avatars.Realistic.Actions;

/// <summary>
/// Chooses where an action joins the idle loop. Frames are compared as small thumbnails (<see cref="Thumbnail"/>:
/// RGB, block-averaged to about <see cref="ThumbnailWidth"/> pixels wide) by mean absolute difference per channel
/// (<see cref="Difference"/>). The entry is the pair (recording frame a near the segment's start, idle frame i)
/// with the smallest difference: the loop shows i, then the action starts at a. The exit is the pair (recording frame
/// b near the segment's end, idle frame j) with the smallest difference: the action ends on b, then the loop goes on
/// from j. Ties go to the frame nearer the requested time. Pure: no I/O.
/// </summary>
public static class ActionCutFinder
{
    public const int ThumbnailWidth = 160;

    /// <summary>A frame (RGBA, <paramref name="width"/>x<paramref name="height"/>) block-averaged to RGB thumbnail bytes.</summary>
    public static byte[] Thumbnail(ReadOnlySpan<byte> rgba, int width, int height)
    {
        var block = Math.Max(1, width / ThumbnailWidth);
        var w = width / block;
        var h = height / block;
        var thumb = new byte[w * h * 3];
        var area = block * block;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                int r = 0, g = 0, b = 0;
                for (var dy = 0; dy < block; dy++)
                {
                    var row = ((y * block + dy) * width + x * block) * 4;
                    for (var dx = 0; dx < block; dx++)
                    {
                        var p = row + dx * 4;
                        r += rgba[p];
                        g += rgba[p + 1];
                        b += rgba[p + 2];
                    }
                }
                var o = (y * w + x) * 3;
                thumb[o] = (byte)(r / area);
                thumb[o + 1] = (byte)(g / area);
                thumb[o + 2] = (byte)(b / area);
            }
        }
        return thumb;
    }

    /// <summary>Mean absolute difference of two same-size images' bytes (0..255).</summary>
    public static float Difference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length || a.Length == 0) throw new ArgumentException("The images differ in size.", nameof(b));
        long sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return (float)((double)sum / a.Length);
    }

    /// <summary>
    /// The best entry: among recording frames <paramref name="candidates"/> (frame number, thumbnail) and every idle
    /// frame, the pair that differs least. <paramref name="requested"/> breaks ties (nearer wins).
    /// </summary>
    public static Cut BestEntry(IReadOnlyList<byte[]> idle, IEnumerable<(int Frame, byte[] Thumbnail)> candidates, int requested) =>
        Best(idle, candidates, requested);

    /// <summary>The best exit, as <see cref="BestEntry"/>: the action's last frame and the idle frame the loop goes on from.</summary>
    public static Cut BestExit(IReadOnlyList<byte[]> idle, IEnumerable<(int Frame, byte[] Thumbnail)> candidates, int requested) =>
        Best(idle, candidates, requested);

    private static Cut Best(IReadOnlyList<byte[]> idle, IEnumerable<(int Frame, byte[] Thumbnail)> candidates, int requested)
    {
        ArgumentNullException.ThrowIfNull(idle);
        ArgumentNullException.ThrowIfNull(candidates);
        if (idle.Count == 0) throw new ArgumentException("The idle loop has no frames.", nameof(idle));
        Cut? best = null;
        foreach (var (frame, thumbnail) in candidates)
        {
            for (var i = 0; i < idle.Count; i++)
            {
                var difference = Difference(idle[i], thumbnail);
                if (best is not { } b || difference < b.Difference
                    || (difference == b.Difference && Math.Abs(frame - requested) < Math.Abs(b.Frame - requested)))
                {
                    best = new Cut(frame, i, difference);
                }
            }
        }
        return best ?? throw new ArgumentException("No recording frame to cut at: the segment lies outside the recording.", nameof(candidates));
    }

    /// <summary>The median difference between consecutive thumbnails: the recording's typical frame-to-frame change.</summary>
    public static float MedianStep(IReadOnlyList<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count < 2) return 0;
        var steps = new float[frames.Count - 1];
        for (var i = 1; i < frames.Count; i++) steps[i - 1] = Difference(frames[i - 1], frames[i]);
        Array.Sort(steps);
        return steps.Length % 2 == 1 ? steps[steps.Length / 2] : (steps[steps.Length / 2 - 1] + steps[steps.Length / 2]) / 2;
    }

    /// <summary>A recording frame, the idle frame it joins, and how much they differ.</summary>
    public readonly record struct Cut(int Frame, int IdleFrame, float Difference);
}
