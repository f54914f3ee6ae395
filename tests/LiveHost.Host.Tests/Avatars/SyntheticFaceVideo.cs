using System.Diagnostics;
using System.Globalization;
using SkiaSharp;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>
/// LABELLED SYNTHETIC TEST VIDEO, not a recording of a person (the pattern of LiveHost.Avatars.Realistic.Tests'
/// SyntheticVideo): a drawn face (skin oval, hair, eyes, nose, closed lips) swaying a few pixels on a slow sine,
/// encoded by ffmpeg (libx264) from raw frames piped in, "SYNTHETIC TEST VIDEO" in the corner. The lips stay still
/// so any mouth movement in the room's frames comes from lip-sync.
/// </summary>
public static class SyntheticFaceVideo
{
    public static async Task WriteAsync(string path, int width, int height, int fps, double seconds)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}",
            "-r", fps.ToString(CultureInfo.InvariantCulture), "-i", "-", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-metadata", "title=SYNTHETIC TEST VIDEO", path,
        })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        using var font = new SKFont(SKTypeface.Default, 10);
        using var label = new SKPaint { Color = SKColors.White };
        var stdin = process.StandardInput.BaseStream;
        for (var i = 0; i < (int)Math.Round(seconds * fps); i++)
        {
            var t = i / (double)fps;
            DrawFace(canvas, width, height, (float)(6 * Math.Sin(2 * Math.PI * 0.5 * t)), (float)(2 * Math.Sin(2 * Math.PI * 0.7 * t)));
            canvas.DrawText("SYNTHETIC TEST VIDEO", 4, 12, SKTextAlign.Left, font, label);
            canvas.Flush();
            await stdin.WriteAsync(bitmap.Bytes);
        }
        stdin.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("ffmpeg: " + await errors);
    }

    private static void DrawFace(SKCanvas canvas, int width, int height, float dx, float dy)
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
        paint.Color = new SKColor(215, 170, 145);
        canvas.DrawOval(cx, cy + r * 0.05f, r * 0.82f, r * 1.05f, paint);
        paint.Color = new SKColor(45, 30, 25);
        canvas.DrawOval(cx, cy - r * 0.85f, r * 0.85f, r * 0.35f, paint);
        foreach (var side in new[] { -1f, 1f })
        {
            paint.Color = SKColors.White;
            canvas.DrawOval(cx + side * r * 0.36f, cy - r * 0.15f, r * 0.17f, r * 0.09f, paint);
            paint.Color = SKColors.Black;
            canvas.DrawCircle(cx + side * r * 0.36f, cy - r * 0.15f, r * 0.05f, paint);
        }
        paint.Color = new SKColor(175, 125, 100);
        canvas.DrawOval(cx, cy + r * 0.22f, r * 0.12f, r * 0.08f, paint);
        paint.Color = new SKColor(185, 90, 90);
        canvas.DrawOval(cx, cy + r * 0.52f, r * 0.28f, r * 0.05f, paint);
    }
}
