using System.Runtime.InteropServices;
using SkiaSharp;

namespace LiveHost.Avatars.Tests;

/// <summary>Reads BGRA frames the way a viewer would look at them: regions, colours, differences.</summary>
internal static class PixelProbe
{
    public static SKRectI Clamp(SKRect rect, int width, int height) => new(
        Math.Clamp((int)MathF.Floor(rect.Left), 0, width), Math.Clamp((int)MathF.Floor(rect.Top), 0, height),
        Math.Clamp((int)MathF.Ceiling(rect.Right), 0, width), Math.Clamp((int)MathF.Ceiling(rect.Bottom), 0, height));

    public static (byte B, byte G, byte R, byte A) At(byte[] bgra, int width, int x, int y)
    {
        var i = (y * width + x) * 4;
        return (bgra[i], bgra[i + 1], bgra[i + 2], bgra[i + 3]);
    }

    /// <summary>Fraction of the region's pixels whose largest channel difference exceeds a threshold.</summary>
    public static double ChangedFraction(byte[] a, byte[] b, int width, int height, SKRect region, int threshold = 24, SKRect[]? exclude = null)
    {
        var r = Clamp(region, width, height);
        long changed = 0, total = 0;
        for (var y = r.Top; y < r.Bottom; y++)
        {
            for (var x = r.Left; x < r.Right; x++)
            {
                if (exclude is not null && exclude.Any(e => e.Contains(x + 0.5f, y + 0.5f))) continue;
                total++;
                var i = (y * width + x) * 4;
                var d = Math.Max(Math.Abs(a[i] - b[i]), Math.Max(Math.Abs(a[i + 1] - b[i + 1]), Math.Abs(a[i + 2] - b[i + 2])));
                if (d > threshold) changed++;
            }
        }
        return total == 0 ? 0 : (double)changed / total;
    }

    public static int Count(byte[] bgra, int width, int height, SKRect region, Func<byte, byte, byte, bool> isMatch)
    {
        var r = Clamp(region, width, height);
        var count = 0;
        for (var y = r.Top; y < r.Bottom; y++)
        {
            for (var x = r.Left; x < r.Right; x++)
            {
                var i = (y * width + x) * 4;
                if (isMatch(bgra[i + 2], bgra[i + 1], bgra[i])) count++;
            }
        }
        return count;
    }

    public static double MeanLuma(byte[] bgra, int width, int height, SKRect region)
    {
        var r = Clamp(region, width, height);
        double sum = 0;
        long n = 0;
        for (var y = r.Top; y < r.Bottom; y++)
        {
            for (var x = r.Left; x < r.Right; x++)
            {
                var i = (y * width + x) * 4;
                sum += 0.114 * bgra[i] + 0.587 * bgra[i + 1] + 0.299 * bgra[i + 2];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /// <summary>First and last row (inclusive) of the region holding a matching pixel; (-1, -1) when none does.</summary>
    public static (int First, int Last) RowExtent(byte[] bgra, int width, int height, SKRect region, Func<byte, byte, byte, bool> isMatch)
    {
        var r = Clamp(region, width, height);
        int first = -1, last = -1;
        for (var y = r.Top; y < r.Bottom; y++)
        {
            for (var x = r.Left; x < r.Right; x++)
            {
                var i = (y * width + x) * 4;
                if (!isMatch(bgra[i + 2], bgra[i + 1], bgra[i])) continue;
                if (first < 0) first = y;
                last = y;
                break;
            }
        }
        return (first, last);
    }

    /// <summary>Centroid of matching pixels in the region; null when none match.</summary>
    public static SKPoint? Centroid(byte[] bgra, int width, int height, SKRect region, Func<byte, byte, byte, bool> isMatch)
    {
        var r = Clamp(region, width, height);
        double sx = 0, sy = 0;
        long n = 0;
        for (var y = r.Top; y < r.Bottom; y++)
        {
            for (var x = r.Left; x < r.Right; x++)
            {
                var i = (y * width + x) * 4;
                if (!isMatch(bgra[i + 2], bgra[i + 1], bgra[i])) continue;
                sx += x;
                sy += y;
                n++;
            }
        }
        return n == 0 ? null : new SKPoint((float)(sx / n), (float)(sy / n));
    }

    public static void SavePng(byte[] bgra, int width, int height, string path)
    {
        var info = new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul);
        var handle = GCHandle.Alloc(bgra, GCHandleType.Pinned);
        try
        {
            using var image = SKImage.FromPixels(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var file = File.Create(path);
            data.SaveTo(file);
        }
        finally
        {
            handle.Free();
        }
    }
}
