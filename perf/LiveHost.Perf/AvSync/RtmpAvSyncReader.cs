using System.Globalization;
using System.Text.RegularExpressions;
using LiveHost.Avatars;
using LiveHost.Media;
using LiveHost.TestSupport;
using LiveHost.TestSupport.AvSync;

namespace LiveHost.Perf.AvSync;

/// <summary>What the RTMP side saw: marker frames and tone onsets, both in ms of the recording's own timeline.</summary>
public sealed record RtmpAvSyncData(IReadOnlyList<MarkerFrame> Frames, IReadOnlyList<double> OnsetsMs, int FramesDecoded, int Undecodable, double AudioSeconds);

/// <summary>
/// The RTMP half of the A/V sync measurement: ffmpeg pulls the room's stream from nginx-rtmp into an FLV file (stream
/// copy, so nothing is re-timed), then one ffmpeg pass decodes it as a player would: the stamp corner of every video
/// frame (cropped, scaled to 4-pixel blocks, grey) with its pts from <c>showinfo</c>, and the audio to 48 kHz mono
/// placed on the same timeline (<c>aresample=async=1:first_pts=0</c>: sample k plays at k/48000 s). The offset of a
/// marker is its frame's pts minus its tone's onset, as a player honouring the timestamps would show them.
/// </summary>
public static partial class RtmpAvSyncReader
{
    private const int Block = 4;

    public static async Task RecordAsync(string url, double seconds, string file, CancellationToken cancellationToken)
    {
        var (exit, _, stderr) = await FfmpegTools.RunAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-rw_timeout", "20000000", "-i", url, "-t", seconds.ToString("0.###", CultureInfo.InvariantCulture),
             "-c", "copy", "-f", "flv", "-y", file],
            TimeSpan.FromSeconds(seconds + 120), cancellationToken);
        if (exit != 0) throw new InvalidOperationException($"ffmpeg recording {url} exited with {exit}: {stderr.Trim()}");
    }

    public static async Task<RtmpAvSyncData> AnalyzeAsync(string file, int width, int height, CancellationToken cancellationToken)
    {
        var block = FrameStampOverlay.BlockSizeFor(width);
        var folder = Path.GetDirectoryName(file)!;
        var videoFile = Path.Combine(folder, "stamps.gray");
        var audioFile = Path.Combine(folder, "audio.s16le");
        var crop = string.Create(CultureInfo.InvariantCulture,
            $"crop={FrameStampImage.Columns * block}:{2 * block}:{block}:{height - 3 * block},scale={FrameStampImage.Columns * Block}:{2 * Block}:flags=area,format=gray,showinfo");
        var (exit, _, stderr) = await FfmpegTools.RunAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "info", "-i", file,
             "-map", "0:v:0", "-vf", crop, "-fps_mode", "passthrough", "-f", "rawvideo", "-y", videoFile,
             "-map", "0:a:0", "-af", "aresample=async=1:first_pts=0", "-ac", "1", "-ar", "48000", "-f", "s16le", "-y", audioFile],
            TimeSpan.FromMinutes(30), cancellationToken);
        if (exit != 0) throw new InvalidOperationException($"ffmpeg decoding {file} exited with {exit}: {stderr[^Math.Min(stderr.Length, 2000)..]}");

        var pts = PtsTime().Matches(stderr).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000).ToList();
        var gray = await File.ReadAllBytesAsync(videoFile, cancellationToken);
        var frameBytes = FrameStampImage.Columns * Block * 2 * Block;
        var frames = new List<MarkerFrame>();
        var count = Math.Min(pts.Count, gray.Length / frameBytes);
        var undecodable = 0;
        for (var i = 0; i < count; i++)
        {
            var value = FrameStampImage.Decode(gray.AsSpan(i * frameBytes, frameBytes), Block);
            if (value < 0) undecodable++;
            else if (AvSyncMarker.IsMarked(value)) frames.Add(new MarkerFrame(value, pts[i]));
        }
        var (onsets, samples) = await OnsetsAsync(audioFile, cancellationToken);
        return new RtmpAvSyncData(frames, onsets, count, undecodable, samples / (double)MediaFormat.AudioSampleRate);
    }

    // Reads the PCM in 10 s chunks (a 64-sample multiple, so windows line up), carrying the last onset across chunks.
    private static async Task<(List<double> OnsetsMs, long Samples)> OnsetsAsync(string audioFile, CancellationToken cancellationToken)
    {
        var onsets = new List<double>();
        var chunk = new byte[MediaFormat.AudioSampleRate * 10 * 2];
        long position = 0, last = long.MinValue / 2;
        await using var stream = File.OpenRead(audioFile);
        int read;
        while ((read = await stream.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
        {
            var samples = new short[read / 2];
            Buffer.BlockCopy(chunk, 0, samples, 0, samples.Length * 2);
            foreach (var onset in ToneOnsetDetector.Find(samples, MediaFormat.AudioSampleRate, AvSyncReaderScript.Threshold, position, last))
            {
                onsets.Add(onset * 1000.0 / MediaFormat.AudioSampleRate);
                last = onset;
            }
            position += samples.Length;
        }
        return (onsets, position);
    }

    [GeneratedRegex(@"showinfo.*? pts_time:\s*([-0-9.]+)")]
    private static partial Regex PtsTime();
}
