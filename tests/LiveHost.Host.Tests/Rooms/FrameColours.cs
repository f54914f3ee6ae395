using SkiaSharp;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>Colours in BGRA frames, as the presenter tests look at them.</summary>
internal static class FrameColours
{
    /// <summary>The mean colour of <paramref name="region"/> (pixels) of a BGRA frame <paramref name="width"/> wide.</summary>
    public static SKColor Mean(byte[] bgra, int width, SKRect region)
    {
        long r = 0, g = 0, b = 0, n = 0;
        for (var y = (int)region.Top; y < (int)region.Bottom; y++)
        {
            for (var x = (int)region.Left; x < (int)region.Right; x++)
            {
                var i = (y * width + x) * 4;
                b += bgra[i];
                g += bgra[i + 1];
                r += bgra[i + 2];
                n++;
            }
        }
        return new SKColor((byte)(r / n), (byte)(g / n), (byte)(b / n));
    }

    public static double Distance(SKColor a, SKColor b) =>
        Math.Sqrt(Math.Pow(a.Red - b.Red, 2) + Math.Pow(a.Green - b.Green, 2) + Math.Pow(a.Blue - b.Blue, 2));
}
