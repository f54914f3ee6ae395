using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// The studio behind the presenter: a soft sky-to-warm gradient wall, a glow behind the head, two faint panels
/// and a few out-of-focus lights. It never changes, so it is rendered once per frame size into an image and each
/// frame starts by copying that image.
/// </summary>
public sealed class StudioBackground : IDisposable
{
    private SKImage? _image;
    private int _width;
    private int _height;

    public SKImage ImageFor(in CartoonLayout layout)
    {
        if (_image is not null && _width == layout.Width && _height == layout.Height) return _image;
        _image?.Dispose();
        _image = Render(layout);
        _width = layout.Width;
        _height = layout.Height;
        return _image;
    }

    private static SKImage Render(in CartoonLayout layout)
    {
        var info = new SKImageInfo(layout.Width, layout.Height, SKColorType.Bgra8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia could not create a background surface.");
        var canvas = surface.Canvas;
        float w = layout.Width, h = layout.Height, s = layout.Scale;

        using (var wall = SKShader.CreateLinearGradient(
                   new SKPoint(0, 0), new SKPoint(0, h),
                   [CartoonPalette.SkyTop, CartoonPalette.SkyMiddle, CartoonPalette.SkyBottom], [0f, 0.55f, 1f],
                   SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = wall })
        {
            canvas.DrawRect(0, 0, w, h, paint);
        }

        using (var fill = new SKPaint { IsAntialias = true, Color = CartoonPalette.Panel })
        {
            // Two tall panels either side, like studio screens, placed relative to the figure so they frame it.
            var panelWidth = 300 * s;
            var panelTop = layout.OriginY - 900 * s;
            var panelBottom = layout.OriginY - 160 * s;
            var gap = 430 * s;
            canvas.DrawRoundRect(new SKRect(layout.OriginX - gap - panelWidth, panelTop, layout.OriginX - gap, panelBottom), 26 * s, 26 * s, fill);
            canvas.DrawRoundRect(new SKRect(layout.OriginX + gap, panelTop, layout.OriginX + gap + panelWidth, panelBottom), 26 * s, 26 * s, fill);

            fill.Color = CartoonPalette.Bokeh;
            ReadOnlySpan<float> lights = [-0.42f, 0.18f, 38, 0.40f, 0.12f, 52, -0.30f, 0.46f, 30, 0.33f, 0.52f, 24, -0.46f, 0.62f, 46, 0.47f, 0.30f, 34];
            for (var i = 0; i < lights.Length; i += 3)
            {
                canvas.DrawCircle(w / 2 + lights[i] * w, lights[i + 1] * h, lights[i + 2] * s, fill);
            }
        }

        var head = layout.ToPixels(CartoonFigure.HeadCenter);
        using (var glow = SKShader.CreateRadialGradient(head, 520 * s, [CartoonPalette.Glow, CartoonPalette.Glow.WithAlpha(0)], SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = glow, IsAntialias = true })
        {
            canvas.DrawRect(0, 0, w, h, paint);
        }

        return surface.Snapshot();
    }

    public void Dispose()
    {
        _image?.Dispose();
        _image = null;
    }
}
