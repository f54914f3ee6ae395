using SkiaSharp;

namespace LiveHost.Avatars.TestSupport;

/// <summary>
/// Draws a face-like pattern (shaded skin oval, hair, brows, eyes with irises, nose shadow, lips) on a dim
/// background, offset by (dx, dy) pixels and with the mouth open by 0..1. It is a drawing, not a photograph: a
/// real face detector may or may not take it for a face.
/// </summary>
public static class SyntheticFace
{
    public static void Draw(SKCanvas canvas, int width, int height, float dx, float dy, float mouthOpen)
    {
        canvas.Clear(new SKColor(70, 80, 95));
        var cx = width / 2f + dx;
        var cy = height * 0.48f + dy;
        var r = Math.Min(width, height) * 0.28f;
        using var paint = new SKPaint { IsAntialias = true };
        paint.Color = new SKColor(45, 30, 25);
        canvas.DrawOval(cx, cy - r * 0.25f, r * 1.05f, r * 1.2f, paint);
        paint.Color = new SKColor(60, 70, 120);
        canvas.DrawRect(cx - r * 1.6f, cy + r * 1.1f, r * 3.2f, height, paint);
        paint.Color = new SKColor(205, 160, 135);
        canvas.DrawRect(cx - r * 0.35f, cy + r * 0.8f, r * 0.7f, r * 0.5f, paint);
        using (var shader = SKShader.CreateRadialGradient(new SKPoint(cx - r * 0.2f, cy - r * 0.2f), r * 1.4f,
                   [new SKColor(235, 195, 170), new SKColor(190, 140, 115)], SKShaderTileMode.Clamp))
        {
            paint.Shader = shader;
            canvas.DrawOval(cx, cy + r * 0.05f, r * 0.82f, r * 1.05f, paint);
            paint.Shader = null;
        }
        paint.Color = new SKColor(45, 30, 25);
        canvas.DrawOval(cx, cy - r * 0.85f, r * 0.85f, r * 0.35f, paint);
        foreach (var side in new[] { -1f, 1f })
        {
            var ex = cx + side * r * 0.36f;
            var ey = cy - r * 0.15f;
            paint.Color = new SKColor(60, 40, 30);
            canvas.DrawRect(ex - r * 0.2f, ey - r * 0.28f, r * 0.4f, r * 0.07f, paint);
            paint.Color = SKColors.White;
            canvas.DrawOval(ex, ey, r * 0.17f, r * 0.09f, paint);
            paint.Color = new SKColor(70, 50, 35);
            canvas.DrawCircle(ex, ey, r * 0.08f, paint);
            paint.Color = SKColors.Black;
            canvas.DrawCircle(ex, ey, r * 0.04f, paint);
        }
        paint.Color = new SKColor(175, 125, 100);
        canvas.DrawOval(cx, cy + r * 0.22f, r * 0.12f, r * 0.08f, paint);
        var mouthY = cy + r * 0.52f;
        paint.Color = new SKColor(90, 25, 30);
        canvas.DrawOval(cx, mouthY, r * 0.28f, r * (0.04f + 0.14f * mouthOpen), paint);
        paint.Color = new SKColor(185, 90, 90);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = r * 0.05f;
        canvas.DrawOval(cx, mouthY, r * 0.28f, r * (0.04f + 0.14f * mouthOpen), paint);
    }

    public static SKBitmap Bitmap(int width, int height, float dx = 0, float dy = 0, float mouthOpen = 0)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        Draw(canvas, width, height, dx, dy, mouthOpen);
        return bitmap;
    }
}
