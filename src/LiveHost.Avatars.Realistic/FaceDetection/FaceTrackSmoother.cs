using LiveHost.Avatars.Packages;

namespace LiveHost.Avatars.Realistic.FaceDetection;

/// <summary>
/// Makes a per-frame face track steady for a package: frames without a detection take the nearest detected
/// frames' boxes (linearly interpolated between them), then each box's centre and size are averaged over a
/// centred window of ±<c>radius</c> frames (the builder works offline, so it may look ahead). Jittery boxes would
/// make the pasted mouth swim on the face.
/// </summary>
public static class FaceTrackSmoother
{
    /// <returns>One box per frame, or null when no frame had a detection.</returns>
    public static FaceBox[]? Smooth(IReadOnlyList<FaceBox?> raw, int radius, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var count = raw.Count;
        var cx = new double[count];
        var cy = new double[count];
        var w = new double[count];
        var h = new double[count];
        var previous = -1;
        for (var i = 0; i < count; i++)
        {
            if (raw[i] is not { } box) continue;
            Set(i, box);
            if (previous < 0)
            {
                for (var j = 0; j < i; j++) Copy(j, i);
            }
            else
            {
                for (var j = previous + 1; j < i; j++) Interpolate(j, previous, i);
            }
            previous = i;
        }
        if (previous < 0) return null;
        for (var j = previous + 1; j < count; j++) Copy(j, previous);

        var result = new FaceBox[count];
        for (var i = 0; i < count; i++)
        {
            var from = Math.Max(0, i - radius);
            var to = Math.Min(count - 1, i + radius);
            double sx = 0, sy = 0, sw = 0, sh = 0;
            for (var j = from; j <= to; j++)
            {
                sx += cx[j];
                sy += cy[j];
                sw += w[j];
                sh += h[j];
            }
            var n = to - from + 1;
            result[i] = Clamp(sx / n, sy / n, sw / n, sh / n, frameWidth, frameHeight);
        }
        return result;

        void Set(int i, FaceBox box)
        {
            cx[i] = box.X + box.Width / 2.0;
            cy[i] = box.Y + box.Height / 2.0;
            w[i] = box.Width;
            h[i] = box.Height;
        }

        void Copy(int to, int from)
        {
            cx[to] = cx[from];
            cy[to] = cy[from];
            w[to] = w[from];
            h[to] = h[from];
        }

        void Interpolate(int at, int a, int b)
        {
            var t = (double)(at - a) / (b - a);
            cx[at] = cx[a] + (cx[b] - cx[a]) * t;
            cy[at] = cy[a] + (cy[b] - cy[a]) * t;
            w[at] = w[a] + (w[b] - w[a]) * t;
            h[at] = h[a] + (h[b] - h[a]) * t;
        }
    }

    private static FaceBox Clamp(double centerX, double centerY, double width, double height, int frameWidth, int frameHeight)
    {
        var boxWidth = (int)Math.Clamp(Math.Round(width), 1, frameWidth);
        var boxHeight = (int)Math.Clamp(Math.Round(height), 1, frameHeight);
        var x = (int)Math.Clamp(Math.Round(centerX - boxWidth / 2.0), 0, frameWidth - boxWidth);
        var y = (int)Math.Clamp(Math.Round(centerY - boxHeight / 2.0), 0, frameHeight - boxHeight);
        return new FaceBox(x, y, boxWidth, boxHeight);
    }
}
