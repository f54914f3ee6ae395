using System.Globalization;
using System.Net.Http.Json;
using LiveHost.Avatars;
using LiveHost.ControlPlane.Recordings;
using LiveHost.TestSupport;

namespace LiveHost.Host.Tests.Recordings;

/// <summary>What the recording tests check in a file and over the API: ffprobe's view, decoding, and the burnt-in AI label.</summary>
internal static class RecordingProbe
{
    public static double FormatDuration(ProbeResult probe)
    {
        using var json = System.Text.Json.JsonDocument.Parse(probe.Json);
        return double.Parse(json.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls the room's recordings until the file being written plays at least <paramref name="seconds"/> (whole fragments).</summary>
    public static async Task<RecordingFile> WaitForCurrentFileAsync(HttpClient admin, double seconds, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        RecordingsState? state = null;
        while (!cancel.IsCancellationRequested)
        {
            state = await admin.GetFromJsonAsync<RecordingsState>("/api/rooms/main/recordings", cancel.Token);
            if (state!.Files.FirstOrDefault(f => f.Recording) is { } current && current.DurationSeconds >= seconds) return current;
            await Task.Delay(200, CancellationToken.None);
        }
        throw new TimeoutException($"no recording reached {seconds} s within {timeout.TotalSeconds} s; last state: {System.Text.Json.JsonSerializer.Serialize(state)}");
    }

    /// <summary>
    /// The first picture of the file, decoded to RGB: inside the box where the compositor draws the AI label there is
    /// label ink (near-white text) on the label's dark pill, so the label is in the recorded pictures.
    /// </summary>
    public static async Task<(double Ink, double Pill)> LabelPixelsAsync(string file, int width, int height, string language)
    {
        var (exit, rgb, stderr) = await FfmpegTools.RunAsync("ffmpeg",
            ["-v", "error", "-i", file, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], TimeSpan.FromSeconds(30));
        if (exit != 0 || rgb.Length != width * height * 3) throw new InvalidOperationException($"ffmpeg could not decode a picture of {file}: {exit} {stderr}");
        using var compositor = new FrameCompositor(new CartoonPresenter(), width, height, language, ownsAvatar: true);
        var box = compositor.LabelBox;
        int ink = 0, pill = 0, all = 0;
        for (var y = (int)Math.Ceiling(box.Top); y < (int)box.Bottom; y++)
        {
            for (var x = (int)Math.Ceiling(box.Left); x < (int)box.Right; x++)
            {
                var at = (y * width + x) * 3;
                int r = rgb[at], g = rgb[at + 1], b = rgb[at + 2];
                all++;
                if (r > 190 && g > 190 && b > 190) ink++;
                else if (r < 90 && g < 90 && b < 90) pill++;
            }
        }
        return ((double)ink / all, (double)pill / all);
    }

    /// <summary>ffmpeg decodes the whole file; for one cut by a crash, its only complaint may be "partial file" about the cut fragment.</summary>
    public static async Task<int> DecodedPicturesAsync(string file, bool cut)
    {
        var (exit, framemd5, stderr) = await FfmpegTools.RunAsync("ffmpeg",
            ["-hide_banner", "-v", "error", "-i", file, "-map", "0:v", "-f", "framemd5", "-", "-map", "0:a", "-f", "null", "-"], TimeSpan.FromSeconds(120));
        var complaints = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !(cut && l.EndsWith("partial file", StringComparison.Ordinal))).ToList();
        if (exit != 0 || complaints.Count > 0) throw new InvalidOperationException($"ffmpeg decoding {file}: exit {exit}: {stderr}");
        return System.Text.Encoding.ASCII.GetString(framemd5).Split('\n').Count(l => l.Length > 0 && l[0] != '#');
    }
}
