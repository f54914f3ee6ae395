using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LiveHost.Avatars.Realistic.Building;

/// <summary>
/// Decodes a video to RGBA frames of a fixed size and rate through the ffmpeg CLI (rawvideo on stdout), after
/// asking ffprobe for the source size so the output height keeps the aspect. Offline tool code.
/// </summary>
public sealed class FfmpegFrameReader
{
    private readonly string _ffmpeg;
    private readonly string _ffprobe;

    public FfmpegFrameReader(string ffmpeg = "ffmpeg", string ffprobe = "ffprobe")
    {
        _ffmpeg = ffmpeg;
        _ffprobe = ffprobe;
    }

    /// <summary>The first video stream's size.</summary>
    public async Task<(int Width, int Height)> ProbeSizeAsync(string video, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunAsync(_ffprobe,
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "json", video], cancellationToken);
        if (code != 0) throw new InvalidOperationException($"ffprobe could not read {video}: {error.Trim()}");
        using var document = JsonDocument.Parse(output);
        var streams = document.RootElement.GetProperty("streams");
        if (streams.GetArrayLength() == 0) throw new InvalidOperationException($"{video} has no video stream.");
        var stream = streams[0];
        return (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32());
    }

    /// <summary>The package height for a width, keeping the source aspect, rounded to even.</summary>
    public static int HeightFor(int width, int sourceWidth, int sourceHeight) =>
        Math.Max(2, (int)Math.Round(width * (double)sourceHeight / sourceWidth / 2) * 2);

    /// <summary>
    /// Calls <paramref name="onFrame"/> with each frame's RGBA bytes (a buffer reused between calls) and its index,
    /// up to <paramref name="seconds"/> of video at <paramref name="fps"/>. Returns the number of frames.
    /// </summary>
    public async Task<int> ReadAsync(string video, int width, int height, double fps, double seconds,
        Action<byte[], int> onFrame, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_ffmpeg)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-hide_banner", "-loglevel", "error", "-nostdin", "-i", video, "-t", seconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-an", "-vf", $"fps={fps.ToString("0.###", CultureInfo.InvariantCulture)},scale={width}:{height}:flags=bicubic",
            "-pix_fmt", "rgba", "-f", "rawvideo", "-",
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var frame = new byte[width * height * 4];
        var count = 0;
        var stdout = process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                var read = await stdout.ReadAtLeastAsync(frame, frame.Length, throwOnEndOfStream: false, cancellationToken);
                if (read < frame.Length) break;
                onFrame(frame, count++);
            }
            await process.WaitForExitAsync(cancellationToken);
        }
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed on {video}: {(await errors).Trim()}");
        return count;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
