using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// The presenter's proportions, in figure units: the figure is 1000 units tall, x = 0 on its centre line and
/// y = 0 at the bottom of the frame, y negative upwards. Head features are given in head space (origin at the
/// head's centre, y down), so the whole head can sway and roll as one.
/// </summary>
public static class CartoonFigure
{
    public const float Height = 1000f;

    /// <summary>Width the figure needs (head and most of the shoulders), which limits its size in narrow frames.</summary>
    public const float Width = 660f;

    public static readonly SKPoint HeadCenter = new(0, -618);

    /// <summary>Roll pivot in head space: the top of the neck.</summary>
    public static readonly SKPoint NeckPivot = new(0, 150);

    public static readonly SKPoint LeftEye = new(-62, 8);
    public static readonly SKPoint RightEye = new(62, 8);
    public const float EyeRadiusX = 29f;
    public const float EyeRadiusY = 34f;

    public static readonly SKPoint Mouth = new(0, 108);
    public const float MouthHalfWidth = 34f;
    public const float MouthMaxOpening = 46f;

    public const float BrowY = -50f;
    public const float DeskTop = -95f;

    /// <summary>Full-body framing: the highest point shown (above the hair) and the floor the shoes stand on (y down).</summary>
    public const float FullBodyTop = -900f;
    public const float FloorY = 880f;

    /// <summary>Width the full-body figure needs, its arms raised or opened included.</summary>
    public const float FullBodyWidth = 1300f;

    /// <summary>Where the full-body figure's arms join the body.</summary>
    public static readonly SKPoint LeftShoulder = new(-262, -326);
    public static readonly SKPoint RightShoulder = new(262, -326);

    /// <summary>The head with its hair, in figure units, at rest.</summary>
    public static readonly SKRect HeadBounds = new(-195, -840, 195, -440);

    public static SKRect EyeBounds(SKPoint eye) => new(
        HeadCenter.X + eye.X - EyeRadiusX - 4, HeadCenter.Y + eye.Y - EyeRadiusY - 4,
        HeadCenter.X + eye.X + EyeRadiusX + 4, HeadCenter.Y + eye.Y + EyeRadiusY + 4);

    public static SKRect MouthBounds => new(
        HeadCenter.X + Mouth.X - MouthHalfWidth * 1.5f, HeadCenter.Y + Mouth.Y - 25,
        HeadCenter.X + Mouth.X + MouthHalfWidth * 1.5f, HeadCenter.Y + Mouth.Y + MouthMaxOpening + 10);
}
