using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// Where the figure sits in a frame of a given size: as large as fits (1000 figure units to the frame height, or
/// fewer in narrow frames), centred horizontally, standing on the bottom edge. Also maps the figure's resting
/// feature regions to pixels, which tests use to look at the eyes or the mouth. Full-body framing fits the figure from
/// above its hair (<see cref="CartoonFigure.FullBodyTop"/>) to a little below the floor it stands on, arms' reach included.
/// </summary>
public readonly record struct CartoonLayout(int Width, int Height, float Scale, float OriginX, float OriginY,
    CartoonFraming Framing = CartoonFraming.WaistUp)
{
    public static CartoonLayout For(int width, int height, CartoonFraming framing = CartoonFraming.WaistUp)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (framing == CartoonFraming.FullBody)
        {
            const float below = 40f;
            var tall = CartoonFigure.FloorY + below - CartoonFigure.FullBodyTop;
            var fullScale = Math.Min(height / tall, width / CartoonFigure.FullBodyWidth);
            return new CartoonLayout(width, height, fullScale, width / 2f, height - (CartoonFigure.FloorY + below) * fullScale, framing);
        }
        var scale = Math.Min(height / CartoonFigure.Height, width / CartoonFigure.Width);
        return new CartoonLayout(width, height, scale, width / 2f, height);
    }

    /// <summary>Full-body framing: pixel rows below this are the studio floor.</summary>
    public float FloorTopY => OriginY + (CartoonFigure.FloorY - 30) * Scale;

    /// <summary>The viewer-right hand (the one that waves and points) at rest, in pixels: tests look there for gestures.</summary>
    public SKRect RaisedHandRegion => ToPixels(new SKRect(380, -720, 620, -480));

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
