using System.Diagnostics;
using System.Globalization;
using SkiaSharp;

namespace LiveHost.Avatars.TestSupport;

/// <summary>
/// LABELLED SYNTHETIC TEST VIDEO, not a recording of a person: <see cref="SyntheticFace"/> drawn per frame, drifting
/// a few pixels on a slow sine (head sway), encoded by ffmpeg (libx264, yuv420p) from raw frames piped in. The
/// top-left corner carries the text "SYNTHETIC TEST VIDEO".
/// </summary>
public static class SyntheticFaceVideo
{
    /// <summary>Peak horizontal drift of the face, pixels.</summary>
    public const double DriftX = 12;

    /// <summary>Peak vertical drift of the face, pixels.</summary>
    public const double DriftY = 3;

    /// <param name="content">
    /// <see cref="SyntheticVideoContent.TalkingFace"/> opens and closes the mouth twice a second;
    /// <see cref="SyntheticVideoContent.StillLipsFace"/> keeps the lips closed, so any mouth movement seen later comes
    /// from lip-sync; <see cref="SyntheticVideoContent.NoFace"/> is a plain background.
    /// </param>
    public static Task WriteAsync(string path, int width, int height, int fps, double seconds, SyntheticVideoContent content) =>
        EncodeAsync(path, width, height, fps, (int)Math.Round(seconds * fps), ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"], (canvas, i) =>
        {
            var t = i / (double)fps;
            if (content == SyntheticVideoContent.NoFace)
            {
                canvas.Clear(new SKColor(90, 90, 100));
                return;
            }
            var mouthOpen = content == SyntheticVideoContent.TalkingFace ? 0.5 + 0.5 * Math.Sin(2 * Math.PI * 2 * t) : 0;
            SyntheticFace.Draw(canvas, width, height, (float)(DriftX * Math.Sin(2 * Math.PI * 0.5 * t)), (float)(DriftY * Math.Sin(2 * Math.PI * 0.7 * t)),
                (float)mouthOpen);
        });

    /// <summary>
    /// Pipes <paramref name="frames"/> frames drawn by <paramref name="draw"/> (then labelled "SYNTHETIC TEST VIDEO")
    /// into ffmpeg as raw RGBA; <paramref name="output"/> holds any further inputs and the codec options.
    /// </summary>
    internal static async Task EncodeAsync(string path, int width, int height, int fps, int frames, IEnumerable<string> output, Action<SKCanvas, int> draw)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] input = ["-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}",
            "-r", fps.ToString(CultureInfo.InvariantCulture), "-i", "-"];
        foreach (var a in input.Concat(output).Concat(["-metadata", "title=SYNTHETIC TEST VIDEO", path])) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        using var font = new SKFont(SKTypeface.Default, 10);
        using var label = new SKPaint { Color = SKColors.White };
        var stdin = process.StandardInput.BaseStream;
        for (var i = 0; i < frames; i++)
        {
            draw(canvas, i);
            canvas.DrawText("SYNTHETIC TEST VIDEO", 4, 12, SKTextAlign.Left, font, label);
            canvas.Flush();
            await stdin.WriteAsync(bitmap.Bytes);
        }
        stdin.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("ffmpeg: " + await errors);
    }
}
