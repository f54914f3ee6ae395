using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// Where the figure sits in a frame of a given size: as large as fits (1000 figure units to the frame height, or
/// fewer in narrow frames), centred horizontally, standing on the bottom edge. Also maps the figure's resting
/// feature regions to pixels, which tests use to look at the eyes or the mouth.
/// </summary>
public readonly record struct CartoonLayout(int Width, int Height, float Scale, float OriginX, float OriginY)
{
    public static CartoonLayout For(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var scale = Math.Min(height / CartoonFigure.Height, width / CartoonFigure.Width);
        return new CartoonLayout(width, height, scale, width / 2f, height);
    }

    public SKPoint ToPixels(SKPoint figure) => new(OriginX + figure.X * Scale, OriginY + figure.Y * Scale);

    public SKRect ToPixels(SKRect figure) => new(
        OriginX + figure.Left * Scale, OriginY + figure.Top * Scale,
        OriginX + figure.Right * Scale, OriginY + figure.Bottom * Scale);

    /// <summary>Pixel rows below this belong to the desk.</summary>
    public float DeskTopY => OriginY + CartoonFigure.DeskTop * Scale;

    public SKRect HeadRegion => ToPixels(CartoonFigure.HeadBounds);

    /// <summary>The presenter's left eye is on the viewer's right; these are named by where they appear.</summary>
    public SKRect ViewerLeftEyeRegion => ToPixels(CartoonFigure.EyeBounds(CartoonFigure.LeftEye));

    public SKRect ViewerRightEyeRegion => ToPixels(CartoonFigure.EyeBounds(CartoonFigure.RightEye));

    public SKRect MouthRegion => ToPixels(CartoonFigure.MouthBounds);
}
