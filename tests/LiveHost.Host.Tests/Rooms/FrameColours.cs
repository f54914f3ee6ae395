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

    /// <summary>
    /// Which pixels of <paramref name="area"/> are near white (text), counting only those inside <paramref name="region"/>:
    /// one flag per pixel of <paramref name="area"/>, row by row, so masks of frames the same size compare pixel by pixel.
    /// </summary>
    public static bool[] WhiteMask(byte[] bgra, int width, SKRect region, SKRect area)
    {
        var mask = new bool[(int)area.Width * (int)area.Height];
        for (var y = (int)area.Top; y < (int)area.Top + (int)area.Height; y++)
        {
            for (var x = (int)area.Left; x < (int)area.Left + (int)area.Width; x++)
            {
                var i = (y * width + x) * 4;
                mask[(y - (int)area.Top) * (int)area.Width + x - (int)area.Left] = region.Contains(x, y) && bgra[i] > 190 && bgra[i + 1] > 190 && bgra[i + 2] > 190;
            }
        }
        return mask;
    }

    public static double Distance(SKColor a, SKColor b) =>
        Math.Sqrt(Math.Pow(a.Red - b.Red, 2) + Math.Pow(a.Green - b.Green, 2) + Math.Pow(a.Blue - b.Blue, 2));
}
