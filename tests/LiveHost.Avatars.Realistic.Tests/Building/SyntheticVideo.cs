using System.Diagnostics;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Tests.Building;

/// <summary>
/// LABELLED SYNTHETIC TEST VIDEO, not a recording of a person: <see cref="SyntheticFace"/> drawn per frame, drifting
/// a few pixels on a slow sine (head sway) with the mouth opening and closing, encoded by ffmpeg (libx264, yuv420p)
/// from raw frames piped in. The top-left corner carries the text "SYNTHETIC TEST VIDEO".
/// </summary>
public static class SyntheticVideo
{
    public static async Task WriteAsync(string path, int width, int height, int fps, double seconds, bool withFace = true)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}", "-r", fps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-i", "-", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-metadata", "title=SYNTHETIC TEST VIDEO", path,
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
        var frames = (int)Math.Round(seconds * fps);
        var stdin = process.StandardInput.BaseStream;
        for (var i = 0; i < frames; i++)
        {
            var t = i / (double)fps;
            if (withFace)
            {
                SyntheticFace.Draw(canvas, width, height, (float)(DriftX * Math.Sin(2 * Math.PI * 0.5 * t)), (float)(3 * Math.Sin(2 * Math.PI * 0.7 * t)),
                    (float)(0.5 + 0.5 * Math.Sin(2 * Math.PI * 2 * t)));
            }
            else
            {
                canvas.Clear(new SKColor(90, 90, 100));
            }
            canvas.DrawText("SYNTHETIC TEST VIDEO", 4, 12, SKTextAlign.Left, font, label);
            canvas.Flush();
            await stdin.WriteAsync(bitmap.Bytes);
        }
        stdin.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("ffmpeg: " + await errors);
    }

    /// <summary>Peak horizontal drift of the face, pixels.</summary>
    public const double DriftX = 12;
}
