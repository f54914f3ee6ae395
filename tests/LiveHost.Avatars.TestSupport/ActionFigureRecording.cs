using SkiaSharp;

namespace LiveHost.Avatars.TestSupport;

/// <summary>
/// LABELLED SYNTHETIC TEST VIDEO for avatar actions, not a recording of a person: the drawn <see cref="SyntheticFace"/>
/// on shoulders, with a thick yellow arm on the viewer's right. The figure sways on a 2 s period (so any moment's
/// pose also occurs in a 2 s idle loop taken from the start); between <see cref="RaiseStart"/> and
/// <see cref="LowerEnd"/> the arm rises (over 0.8 s), stays up, and comes down (over 0.8 s): the labelled action.
/// <see cref="Raise"/> is the truth for any time.
/// </summary>
public static class ActionFigureRecording
{
    public const double RaiseStart = 3.6;
    public const double RaiseEnd = 4.4;
    public const double LowerStart = 5.6;
    public const double LowerEnd = 6.4;

    /// <summary>How far the arm is raised at <paramref name="seconds"/> (0 down, 1 up).</summary>
    public static double Raise(double seconds) =>
        seconds < RaiseStart || seconds > LowerEnd ? 0
        : seconds < RaiseEnd ? Smooth((seconds - RaiseStart) / (RaiseEnd - RaiseStart))
        : seconds > LowerStart ? Smooth((LowerEnd - seconds) / (LowerEnd - LowerStart))
        : 1;

    public static Task WriteAsync(string path, int width, int height, int fps, double seconds) =>
        SyntheticFaceVideo.EncodeAsync(path, width, height, fps, (int)Math.Round(seconds * fps),
            ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"], (canvas, i) => Draw(canvas, width, height, i / (double)fps));

    /// <summary>The figure at <paramref name="seconds"/>.</summary>
    public static void Draw(SKCanvas canvas, int width, int height, double seconds)
    {
        var dx = (float)(8 * Math.Sin(Math.PI * seconds));
        var dy = (float)(2 * Math.Sin(Math.PI * seconds));
        SyntheticFace.Draw(canvas, width, height, dx, dy, 0);
        var cx = width / 2f + dx;
        var cy = height * 0.48f + dy;
        var r = Math.Min(width, height) * 0.28f;
        var raise = (float)Raise(seconds);
        var shoulder = new SKPoint(cx + r * 1.35f, cy + r * 1.3f);
        var handDown = new SKPoint(cx + r * 1.6f, cy + r * 2.6f);
        var handUp = new SKPoint(cx + r * 2.05f, cy - r * 0.9f);
        var hand = new SKPoint(handDown.X + (handUp.X - handDown.X) * raise, handDown.Y + (handUp.Y - handDown.Y) * raise);
        var elbow = new SKPoint((shoulder.X + hand.X) / 2 + r * 0.35f * raise, (shoulder.Y + hand.Y) / 2);
        using var arm = new SKPaint { IsAntialias = true, Color = new SKColor(235, 200, 60), Style = SKPaintStyle.Stroke, StrokeWidth = r * 0.3f, StrokeCap = SKStrokeCap.Round };
        canvas.DrawLine(shoulder, elbow, arm);
        canvas.DrawLine(elbow, hand, arm);
        using var skin = new SKPaint { IsAntialias = true, Color = new SKColor(225, 175, 150) };
        canvas.DrawCircle(hand, r * 0.2f, skin);
    }

    private static double Smooth(double t)
    {
        var x = Math.Clamp(t, 0, 1);
        return x * x * (3 - 2 * x);
    }
}
