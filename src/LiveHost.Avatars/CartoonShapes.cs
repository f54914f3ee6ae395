using SkiaSharp;
using static LiveHost.Avatars.CartoonFigure;

namespace LiveHost.Avatars;

/// <summary>
/// The presenter's fixed outlines and shading, built once in figure or head space (see <see cref="CartoonFigure"/>).
/// Being independent of the frame size, they serve every resolution through the canvas transform.
/// </summary>
public sealed class CartoonShapes : IDisposable
{
    public CartoonShapes(CartoonLook? look = null)
    {
        look ??= CartoonLook.Classic;
        // Body, in figure space.
        Jacket = Build(b =>
        {
            b.MoveTo(-420, 10);
            b.LineTo(-410, -190);
            b.CubicTo(-404, -300, -350, -342, -250, -362);
            b.LineTo(-64, -404);
            b.LineTo(64, -404);
            b.LineTo(250, -362);
            b.CubicTo(350, -342, 404, -300, 410, -190);
            b.LineTo(420, 10);
            b.Close();
        });
        Shirt = Build(b =>
        {
            b.MoveTo(-62, -404);
            b.LineTo(62, -404);
            b.LineTo(0, -232);
            b.Close();
        });
        Lapels = Build(b =>
        {
            b.MoveTo(-64, -398);
            b.LineTo(-2, -228);
            b.LineTo(-6, -150);
            b.LineTo(-92, -270);
            b.LineTo(-70, -300);
            b.LineTo(-112, -340);
            b.Close();
            b.MoveTo(64, -398);
            b.LineTo(2, -228);
            b.LineTo(6, -150);
            b.LineTo(92, -270);
            b.LineTo(70, -300);
            b.LineTo(112, -340);
            b.Close();
        });
        Collar = Build(b =>
        {
            b.MoveTo(-58, -410);
            b.LineTo(-6, -322);
            b.LineTo(-44, -300);
            b.LineTo(-80, -384);
            b.Close();
            b.MoveTo(58, -410);
            b.LineTo(6, -322);
            b.LineTo(44, -300);
            b.LineTo(80, -384);
            b.Close();
        });
        ArmLines = Build(b =>
        {
            b.MoveTo(-282, -338);
            b.CubicTo(-306, -250, -318, -170, -322, -60);
            b.MoveTo(282, -338);
            b.CubicTo(306, -250, 318, -170, 322, -60);
        });
        Legs = Build(b =>
        {
            // Trousers from the hips (under the jacket's hem) to the ankles, a little apart.
            b.MoveTo(-214, 40);
            b.LineTo(-10, 40);
            b.LineTo(-40, 830);
            b.LineTo(-200, 830);
            b.Close();
            b.MoveTo(214, 40);
            b.LineTo(10, 40);
            b.LineTo(40, 830);
            b.LineTo(200, 830);
            b.Close();
        });
        Neck = Build(b =>
        {
            b.MoveTo(-50, -540);
            b.LineTo(50, -540);
            b.LineTo(54, -404);
            b.CubicTo(30, -386, -30, -386, -54, -404);
            b.Close();
        });

        // Head, in head space.
        BackHair = look.HairStyle == CartoonHair.Cropped ? ShortBackHair() : Build(b =>
        {
            // A chin-length bob framing the face, curling in at the ends.
            b.MoveTo(-150, 128);
            b.CubicTo(-186, 110, -196, 30, -190, -40);
            b.CubicTo(-184, -150, -120, -218, 0, -220);
            b.CubicTo(120, -218, 184, -150, 190, -40);
            b.CubicTo(196, 30, 186, 110, 150, 128);
            b.CubicTo(136, 134, 122, 124, 124, 100);
            b.LineTo(-124, 100);
            b.CubicTo(-122, 124, -136, 134, -150, 128);
            b.Close();
        });
        Face = Build(b =>
        {
            b.MoveTo(0, -182);
            b.CubicTo(96, -182, 152, -112, 152, -14);
            b.CubicTo(152, 84, 90, 172, 0, 176);
            b.CubicTo(-90, 172, -152, 84, -152, -14);
            b.CubicTo(-152, -112, -96, -182, 0, -182);
            b.Close();
        });
        Fringe = look.HairStyle == CartoonHair.Cropped ? ShortFringe() : Build(b =>
        {
            // Side-swept bangs: parted on the viewer's left, sweeping across the forehead in soft scallops.
            b.MoveTo(-160, 10);
            b.CubicTo(-176, -120, -112, -208, 0, -210);
            b.CubicTo(114, -208, 178, -122, 160, 4);
            b.CubicTo(150, -46, 134, -84, 104, -104);
            b.CubicTo(84, -82, 50, -76, 22, -84);
            b.CubicTo(-4, -90, -28, -104, -46, -128);
            b.CubicTo(-66, -104, -100, -80, -128, -60);
            b.CubicTo(-142, -40, -150, -16, -160, 10);
            b.Close();
        });
        HairShine = Build(b =>
        {
            b.MoveTo(-110, -160);
            b.CubicTo(-76, -188, -30, -198, 14, -194);
        });
        LeftBrow = Build(b =>
        {
            b.MoveTo(-34, BrowY);
            b.QuadTo(-62, BrowY - 18, -92, BrowY - 2);
        });
        RightBrow = Build(b =>
        {
            b.MoveTo(34, BrowY);
            b.QuadTo(62, BrowY - 18, 92, BrowY - 2);
        });
        Nose = Build(b =>
        {
            b.MoveTo(-8, 60);
            b.QuadTo(0, 68, 8, 60);
        });
        EyeWhite = Build(b => b.AddOval(new SKRect(-EyeRadiusX, -EyeRadiusY, EyeRadiusX, EyeRadiusY), SKPathDirection.Clockwise));
        EyeOuter = Build(b => b.AddOval(new SKRect(-EyeRadiusX - 4, -EyeRadiusY - 4, EyeRadiusX + 4, EyeRadiusY + 3), SKPathDirection.Clockwise));

        FaceShading = SKShader.CreateRadialGradient(
            new SKPoint(-30, -50), 260, [look.SkinLight, look.Skin, look.SkinShadow], [0f, 0.62f, 1f],
            SKShaderTileMode.Clamp);
        LeftCheek = CheekShader(-94);
        RightCheek = CheekShader(94);
        IrisShading = SKShader.CreateRadialGradient(
            new SKPoint(0, 7), 23, [look.IrisLight, look.Iris], [0.2f, 1f], SKShaderTileMode.Clamp);
        JacketShading = SKShader.CreateLinearGradient(
            new SKPoint(-420, -400), new SKPoint(420, 0), [look.Jacket, look.JacketShadow], SKShaderTileMode.Clamp);
    }

    public SKPath Jacket { get; }
    public SKPath Shirt { get; }
    public SKPath Lapels { get; }
    public SKPath Collar { get; }
    public SKPath ArmLines { get; }
    public SKPath Neck { get; }

    /// <summary>The trousers, in figure space below the jacket's hem (drawn only when framed full body).</summary>
    public SKPath Legs { get; }
    public SKPath BackHair { get; }
    public SKPath Face { get; }
    public SKPath Fringe { get; }
    public SKPath HairShine { get; }
    public SKPath LeftBrow { get; }
    public SKPath RightBrow { get; }
    public SKPath Nose { get; }

    /// <summary>An eye, centred on its own origin.</summary>
    public SKPath EyeWhite { get; }

    /// <summary>The eye grown a little: the clip for the eyelid's lash line, so the stroke is not cut in half.</summary>
    public SKPath EyeOuter { get; }

    public SKShader FaceShading { get; }
    public SKShader LeftCheek { get; }
    public SKShader RightCheek { get; }
    public SKShader IrisShading { get; }
    public SKShader JacketShading { get; }

    /// <summary>Where the body's parts draw, strokes included (figure units).</summary>
    public SKRect BodyBounds => Union(8, Neck.Bounds, Jacket.Bounds, Shirt.Bounds, Lapels.Bounds, Collar.Bounds, ArmLines.Bounds);

    /// <summary>Where the head under the mouth and eyes draws: back hair, ears, chin shadow, face, cheeks, nose (head units).</summary>
    public SKRect HeadUnderBounds => Union(8, BackHair.Bounds, Face.Bounds, Nose.Bounds,
        new SKRect(-172, -24, 172, 44), new SKRect(-52, 130, 52, 190), new SKRect(-124, 36, 124, 96));

    /// <summary>Where the fringe and its shine draw (head units).</summary>
    public SKRect HeadOverBounds => Union(8, Fringe.Bounds, HairShine.Bounds);

    private static SKRect Union(float margin, params ReadOnlySpan<SKRect> rects)
    {
        var all = rects[0];
        foreach (var rect in rects[1..]) all = SKRect.Union(all, rect);
        return SKRect.Inflate(all, margin, margin);
    }

    private static SKShader CheekShader(float x) => SKShader.CreateRadialGradient(
        new SKPoint(x, 66), 30, [CartoonPalette.Blush, CartoonPalette.Blush.WithAlpha(0)], SKShaderTileMode.Clamp);

    // Short hair cropped above the ears: a cap over the crown and a light fringe.
    private static SKPath ShortBackHair() => Build(b =>
    {
        b.MoveTo(-160, 24);
        b.CubicTo(-178, -120, -112, -216, 0, -218);
        b.CubicTo(112, -216, 178, -120, 160, 24);
        b.CubicTo(152, -14, 144, -40, 132, -56);
        b.LineTo(-132, -56);
        b.CubicTo(-144, -40, -152, -14, -160, 24);
        b.Close();
    });

    private static SKPath ShortFringe() => Build(b =>
    {
        b.MoveTo(-156, -6);
        b.CubicTo(-172, -132, -102, -208, 0, -208);
        b.CubicTo(102, -208, 172, -132, 156, -6);
        b.CubicTo(142, -70, 112, -112, 62, -124);
        b.CubicTo(22, -104, -36, -112, -78, -134);
        b.CubicTo(-118, -112, -144, -72, -156, -6);
        b.Close();
    });

    private static SKPath Build(Action<SKPathBuilder> draw)
    {
        using var builder = new SKPathBuilder();
        draw(builder);
        return builder.Detach();
    }

    public void Dispose()
    {
        foreach (var path in new[] { Jacket, Shirt, Lapels, Collar, ArmLines, Neck, Legs, BackHair, Face, Fringe, HairShine, LeftBrow, RightBrow, Nose, EyeWhite, EyeOuter })
        {
            path.Dispose();
        }
        foreach (var shader in new[] { FaceShading, LeftCheek, RightCheek, IrisShading, JacketShading }) shader.Dispose();
    }
}
