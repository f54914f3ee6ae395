using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LiveHost.TestSupport;

/// <summary>Runs the ffprobe / ffmpeg command-line tools against a stream, for end-to-end checks.</summary>
public static class FfmpegTools
{
    /// <summary>Probes a URL; throws with ffprobe's stderr when it fails or runs past the timeout.</summary>
    public static async Task<ProbeResult> ProbeAsync(string url, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var (exitCode, stdout, stderr) = await RunAsync(
            "ffprobe", ["-v", "error", "-rw_timeout", "5000000", "-show_streams", "-show_format", "-of", "json", url], timeout, cancellationToken);
        if (exitCode != 0) throw new InvalidOperationException($"ffprobe {url} exited with {exitCode}: {stderr.Trim()}");
        return ParseProbe(Encoding.UTF8.GetString(stdout));
    }

    /// <summary>Parses ffprobe's JSON (-show_streams -show_format -of json).</summary>
    public static ProbeResult ParseProbe(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var streams = new List<ProbedStream>();
        if (root.TryGetProperty("streams", out var streamArray))
        {
            foreach (var s in streamArray.EnumerateArray())
            {
                streams.Add(new ProbedStream(
                    Text(s, "codec_type") ?? "", Text(s, "codec_name") ?? "", Int(s, "width"), Int(s, "height"),
                    Text(s, "avg_frame_rate"), Text(s, "r_frame_rate"), Int(s, "sample_rate"), Int(s, "channels")));
            }
        }
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? formatName = null;
        if (root.TryGetProperty("format", out var format))
        {
            formatName = Text(format, "format_name");
            if (format.TryGetProperty("tags", out var tagObject))
            {
                foreach (var tag in tagObject.EnumerateObject()) tags[tag.Name] = tag.Value.ToString();
            }
        }
        return new ProbeResult(streams, formatName, tags, json);
    }

    /// <summary>Decodes <paramref name="seconds"/> of the stream's audio to mono 16 kHz signed 16-bit samples.</summary>
    public static async Task<short[]> PullAudioAsync(string url, double seconds, CancellationToken cancellationToken = default)
    {
        var duration = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        var (exitCode, stdout, stderr) = await RunAsync(
            "ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-rw_timeout", "5000000", "-i", url, "-t", duration, "-vn", "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
            TimeSpan.FromSeconds(seconds + 20), cancellationToken);
        if (exitCode != 0) throw new InvalidOperationException($"ffmpeg pulling audio from {url} exited with {exitCode}: {stderr.Trim()}");
        var samples = new short[stdout.Length / 2];
        Buffer.BlockCopy(stdout, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    /// <summary>Root mean square of 16-bit samples, normalised to 0..1 (a full-scale sine is about 0.707).</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty) return 0;
        double sum = 0;
        foreach (var sample in samples) sum += (double)sample * sample;
        return Math.Sqrt(sum / samples.Length) / 32768.0;
    }

    /// <summary>Runs a tool, capturing stdout (bytes) and stderr; kills it when the timeout passes.</summary>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(
        string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        process.StandardInput.Close();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var stdout = new MemoryStream();
        var stdoutCopy = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
        var stderrRead = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            var partial = await stderrRead;
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} ran past {timeout}: {partial.Trim()}");
        }
        await stdoutCopy;
        return (process.ExitCode, stdout.ToArray(), await stderrRead);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
