using LiveHost.Speech;
using SkiaSharp;

namespace LiveHost.Avatars.TestSupport;

/// <summary>
/// Reads back which <see cref="VisemeFaceRecording"/> mouth a picture shows: inside a region (where the mouth
/// should be), the dark mouth pixels' centre, then the longest dark run through it down and across; the nearest of
/// the 15 known shapes (in face-radius units) is the answer.
/// </summary>
public static class MouthShapeReader
{
    /// <summary>
    /// Luminance below this is mouth interior (the mouth colour is about 48; lips about 118, skin about 170): a mouth
    /// two thirds faded in over lips or skin still counts, one third faded in does not.
    /// </summary>
    public const float DarkLuminance = 100;

    /// <summary>Measured half width and half height (pixels) of the dark mouth, or null when none is there.</summary>
    public static (float HalfWidth, float HalfHeight)? Measure(SKBitmap picture, SKRectI region)
    {
        ArgumentNullException.ThrowIfNull(picture);
        region.Intersect(new SKRectI(0, 0, picture.Width, picture.Height));
        // The centre from the inner part only: the region's feathered edges may let the picture under it show.
        var inner = SKRectI.Inflate(region, -region.Width / 6, -region.Height / 6);
        double sx = 0, sy = 0;
        var count = 0;
        for (var y = inner.Top; y < inner.Bottom; y++)
        {
            for (var x = inner.Left; x < inner.Right; x++)
            {
                if (!Dark(picture, x, y)) continue;
                sx += x;
                sy += y;
                count++;
            }
        }
        if (count == 0) return null;
        var (cx, cy) = ((int)Math.Round(sx / count), (int)Math.Round(sy / count));
        var vertical = Run(picture, cx, cy, 0, 1, region);
        var horizontal = Run(picture, cx, cy, 1, 0, region);
        return (horizontal / 2f, vertical / 2f);
    }

    /// <summary>The viseme whose drawn shape is nearest to what the region shows (null when no mouth is seen).</summary>
    public static Viseme? Classify(SKBitmap picture, SKRectI region, float faceRadius)
    {
        if (Measure(picture, region) is not { } size) return null;
        Viseme? best = null;
        var bestDistance = float.MaxValue;
        foreach (var viseme in Enum.GetValues<Viseme>())
        {
            var (w, h) = VisemeFaceRecording.MouthHalfSize(viseme);
            // Widths are 0.06 r apart, heights 0.04 r: weigh so one step counts the same either way.
            var distance = Math.Abs(size.HalfWidth / faceRadius - w) / 0.06f + Math.Abs(size.HalfHeight / faceRadius - h) / 0.04f;
            if (distance < bestDistance) (best, bestDistance) = (viseme, distance);
        }
        return best;
    }

    private static int Run(SKBitmap picture, int x, int y, int stepX, int stepY, SKRectI region)
    {
        if (!Dark(picture, x, y)) return 0;
        var length = 1;
        for (var (px, py) = (x + stepX, y + stepY); region.Contains(px, py) && Dark(picture, px, py); px += stepX, py += stepY) length++;
        for (var (px, py) = (x - stepX, y - stepY); region.Contains(px, py) && Dark(picture, px, py); px -= stepX, py -= stepY) length++;
        return length;
    }

    private static bool Dark(SKBitmap picture, int x, int y)
    {
        // Dark and red: not the background, the hair or a shadow.
        var c = picture.GetPixel(x, y);
        return 0.299f * c.Red + 0.587f * c.Green + 0.114f * c.Blue < DarkLuminance && c.Red > c.Green + 30;
    }
}
