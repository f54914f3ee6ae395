using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using LiveHost.Avatars;
using LiveHost.Encoding;
using LiveHost.Encoding.X264;
using LiveHost.Media;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using static System.FormattableString;

namespace LiveHost.Perf.Density;

/// <summary>
/// <c>encode-quality</c>: libx264 settings for the cartoon room, side by side on the same frames. Each candidate codes
/// the same speaking 720p25 frames (the room's compositor: presenter, caption, AI label; regenerated identically for
/// each) with the product's <see cref="X264Encoder"/> at the same bitrate and VBV; the process's CPU time is read
/// around every Encode call (CLOCK_PROCESS_CPUTIME_ID, so x264's own threads count), and ffmpeg's psnr and ssim
/// filters compare each decoded stream with the I420 frames the encoder was given. The first candidate is the setting
/// shipped today; the table gives each one's quality difference from it.
/// </summary>
public sealed partial class EncodeQualityCommand : IBenchmarkCommand
{
    public string Name => "encode-quality";

    public string Summary => "x264 settings side by side on the same cartoon frames: CPU per frame, PSNR and SSIM vs today's setting";

    public string Usage => """
          --frames N     frames coded per candidate (default 250: 10 s at 25 fps)
          --width N --height N   room size (default 1280x720)
          --out DIR      where the result files go (default perf/results)
        """;

    /// <summary>
    /// The reference first (superfast, one thread, <c>partitions=none</c>, every row converted, no macroblock map: the
    /// setting before the map), then the candidates, then the first again as a control (the order of the runs should
    /// not matter). A candidate "from changed rows" is handed the rows the compositor changed, as a room's encoder is;
    /// "unchanged macroblocks skipped" also tells x264 which macroblocks are the previous frame's
    /// (<see cref="EncoderOptions.SkipUnchangedMacroblocks"/>). Earlier rounds (veryfast, threads auto, ultrafast,
    /// subme, partitions, aq-mode, deblock) are in perf/results/2026-12-03-*-encode-quality.md and 2026-12-04-*-encode-quality.md.
    /// </summary>
    public static readonly IReadOnlyList<EncodeCandidate> Candidates =
    [
        new("before: every row converted, no map", "superfast", 1, "partitions=none", FromChangedRows: false, SkipUnchanged: false),
        new("changed rows converted, no map", "superfast", 1, "partitions=none", FromChangedRows: true, SkipUnchanged: false),
        new("changed rows + unchanged macroblocks skipped (today)", "superfast", 1, "partitions=none", FromChangedRows: true, SkipUnchanged: true),
        new("+ aq-mode=0", "superfast", 1, "partitions=none:aq-mode=0", FromChangedRows: true, SkipUnchanged: true),
        new("control: the first again", "superfast", 1, "partitions=none", FromChangedRows: false, SkipUnchanged: false),
    ];

    private static readonly string[] Captions =
    [
        "Welcome back to the show! Today we have three new flavours of our cold brew.",
        "Order in the next ten minutes and the shipping is on us.",
        "这款保温杯可以保温十二个小时，今天直播间专享价一百九十九元。",
    ];

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var frames = arguments.Number("frames", 250, 50, 5000);
        var width = arguments.Number("width", 1280, 160, 3840);
        var height = arguments.Number("height", 720, 120, 2160);
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        var format = new MediaFormat(width, height, 25);
        var work = Directory.CreateTempSubdirectory("livehost-encode-quality-");
        try
        {
            var source = Path.Combine(work.FullName, "source.yuv");
            WriteSource(format, frames, source);
            var rows = new List<EncodeCandidateResult>();
            foreach (var candidate in Candidates)
            {
                Console.WriteLine($"{candidate.Name}: coding {frames} frames...");
                var stream = Path.Combine(work.FullName, $"candidate-{rows.Count}.h264");
                var (cpu, wall, bytes, unchanged) = Encode(format, frames, candidate, stream);
                var (psnr, ssim) = await CompareAsync(format, stream, source, cancellationToken);
                var row = new EncodeCandidateResult(candidate, Distribution.Of(cpu), Distribution.Of(wall), cpu.Average(),
                    bytes * 8.0 / 1000 / (frames / 25.0), psnr, ssim, rows.Count == 0 ? 0 : psnr - rows[0].PsnrDb,
                    rows.Count == 0 ? 0 : SsimDb(ssim) - SsimDb(rows[0].Ssim), unchanged);
                rows.Add(row);
                Console.WriteLine(Invariant($"  CPU {row.CpuMsMean:0.00} ms/frame (p50 {row.CpuMs.P50:0.00}, p95 {row.CpuMs.P95:0.00}), wall p95 {row.WallMs.P95:0.00} ms, {row.Kbps:0} kbit/s, PSNR {row.PsnrDb:0.00} dB ({row.PsnrDeltaDb:+0.00;-0.00;0.00} vs first), SSIM {row.Ssim:0.00000} ({row.SsimDeltaDb:+0.00;-0.00;0.00} dB vs first), {row.UnchangedShare:P1} of macroblocks marked unchanged"));
            }
            var loadAverage = await ReportHeader.LoadAverageAsync(cancellationToken);
            var result = new EncodeQualityResult(startedAt, ReportHeader.CommandLine(Name + " " + arguments.Raw), machine, width, height, frames, loadAverage, rows);
            var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd-HHmm}-encode-quality", result, json => Report(result, json), ReportFiles.Json, cancellationToken);
            Console.WriteLine($"wrote {md}");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // The frames the room would draw: the built-in cartoon speaking (a new viseme every other frame), captions changing.
    private static IEnumerable<(byte[] Bgra, ChangedRows? Rows)> Frames(MediaFormat format, int count)
    {
        using var compositor = new FrameCompositor(new CartoonPresenter(), format.Width, format.Height, "en", ownsAvatar: true);
        var bgra = new byte[format.FrameBytes];
        for (var i = 0; i < count; i++)
        {
            var viseme = (Viseme)(1 + i / 2 % 14);
            compositor.Compose(new AvatarFrame(i, i / 25.0, viseme, 0.5f, Speaking: i % 50 < 40), Captions[i / 100 % Captions.Length], bgra);
            yield return (bgra, compositor.LastChangedRows);
        }
    }

    private static void WriteSource(MediaFormat format, int frames, string path)
    {
        int w = format.Width, h = format.Height;
        var yuv = new byte[w * h * 3 / 2];
        using var file = File.Create(path);
        foreach (var (bgra, _) in Frames(format, frames))
        {
            BgraToI420.Convert(bgra, w, h, yuv.AsSpan(0, w * h), w, yuv.AsSpan(w * h, w * h / 4), w / 2, yuv.AsSpan(w * h * 5 / 4, w * h / 4), w / 2);
            file.Write(yuv);
        }
    }

    private static (double[] CpuMs, double[] WallMs, long Bytes, double UnchangedShare) Encode(MediaFormat format, int frames, EncodeCandidate candidate, string path)
    {
        var options = new EncoderOptions { Preset = candidate.Preset, Threads = candidate.Threads, X264Params = candidate.Params, SkipUnchangedMacroblocks = candidate.SkipUnchanged };
        if (options.Validate() is { } problem) throw new ArgumentException($"{candidate.Name}: {problem}");
        using var encoder = new X264Encoder(format, options);
        using var file = File.Create(path);
        WriteAnnexB(file, encoder.Config.Sps);
        WriteAnnexB(file, encoder.Config.Pps);
        var cpu = new double[frames];
        var wall = new double[frames];
        long bytes = 0;
        var i = 0;
        foreach (var (bgra, rows) in Frames(format, frames))
        {
            var cpuBefore = ProcessCpu.Now();
            var started = Stopwatch.GetTimestamp();
            var picture = candidate.FromChangedRows ? encoder.Encode(bgra, i, false, rows, i - 1) : encoder.Encode(bgra, i, forceIdr: false);
            wall[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            cpu[i] = (ProcessCpu.Now() - cpuBefore).TotalMilliseconds;
            bytes += picture.Data.Length;
            for (var offset = 0; offset < picture.Data.Length;)
            {
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(picture.Data.AsSpan(offset));
                WriteAnnexB(file, picture.Data.AsSpan(offset + 4, length));
                offset += 4 + length;
            }
            i++;
        }
        return (cpu, wall, bytes, (double)encoder.MacroblocksMarkedUnchanged / (frames * (long)encoder.MacroblocksPerPicture));
    }

    /// <summary>SSIM on a decibel scale, -10 log10(1 - SSIM), so that a difference reads like PSNR's.</summary>
    public static double SsimDb(double ssim) => -10 * Math.Log10(Math.Max(1e-10, 1 - ssim));

    private static void WriteAnnexB(Stream stream, ReadOnlySpan<byte> nal)
    {
        stream.Write([0, 0, 0, 1]);
        stream.Write(nal);
    }

    private static async Task<(double Psnr, double Ssim)> CompareAsync(MediaFormat format, string stream, string source, CancellationToken cancellationToken)
    {
        var size = Invariant($"{format.Width}x{format.Height}");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
                 {
                     "-hide_banner", "-nostats", "-f", "h264", "-r", "25", "-i", stream,
                     "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", size, "-r", "25", "-i", source,
                     "-lavfi", "[0:v]split=2[a][b];[1:v]split=2[c][d];[a][c]psnr;[b][d]ssim", "-f", "null", "-",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = await stderr;
        var psnr = PsnrAverage().Match(text);
        var ssim = SsimAll().Match(text);
        if (process.ExitCode != 0 || !psnr.Success || !ssim.Success) throw new InvalidOperationException($"ffmpeg could not compare {stream}: {text[^Math.Min(text.Length, 600)..]}");
        return (double.Parse(psnr.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(ssim.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"PSNR y:[0-9.inf]+ u:[0-9.inf]+ v:[0-9.inf]+ average:([0-9.]+)")]
    private static partial Regex PsnrAverage();

    [GeneratedRegex(@"SSIM Y:[0-9.]+ \([0-9.inf]+\) U:[0-9.]+ \([0-9.inf]+\) V:[0-9.]+ \([0-9.inf]+\) All:([0-9.]+)")]
    private static partial Regex SsimAll();

    private static string Report(EncodeQualityResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "x264 settings for the cartoon room: CPU and quality on the same frames", r.StartedAt, r.CommandLine, r.Machine, r.LoadAverage);
        s.AppendLine(Invariant($"- {r.Frames} frames of the built-in cartoon speaking at {r.Width}x{r.Height}, 25 fps (caption, AI label); every candidate at 2500 kbit/s, VBV 2500/2500, Constrained Baseline, zerolatency, GOP 50"));
        s.AppendLine("- CPU: the process's CPU time around each Encode call (x264's threads included); quality: ffmpeg's psnr (average of Y, U, V) and ssim (All; in dB: -10 log10(1 - SSIM)) of the decoded stream against the I420 frames the encoder was given");
        s.AppendLine($"- Raw results: `{jsonFile}`");
        s.AppendLine();
        s.AppendLine("| candidate | preset | threads | x264 params | CPU ms/frame (mean) | CPU p95 | wall p95 ms | kbit/s | PSNR dB | PSNR vs first | SSIM | SSIM dB vs first | macroblocks marked unchanged |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in r.Rows)
        {
            var c = row.Candidate;
            s.AppendLine(Invariant($"| {c.Name} | {c.Preset} | {(c.Threads == 0 ? "auto" : c.Threads.ToString(CultureInfo.InvariantCulture))} | {(c.Params.Length == 0 ? "-" : c.Params)} | {row.CpuMsMean:0.00} | {row.CpuMs.P95:0.00} | {row.WallMs.P95:0.00} | {row.Kbps:0} | {row.PsnrDb:0.00} | {row.PsnrDeltaDb:+0.00;-0.00;0.00} | {row.Ssim:0.00000} | {row.SsimDeltaDb:+0.00;-0.00;0.00} | {row.UnchangedShare:P1} |"));
        }
        return s.ToString();
    }
}

public sealed record EncodeCandidate(string Name, string Preset, int Threads, string Params, bool FromChangedRows = false, bool SkipUnchanged = false);

public sealed record EncodeCandidateResult(EncodeCandidate Candidate, Distribution CpuMs, Distribution WallMs, double CpuMsMean, double Kbps, double PsnrDb, double Ssim, double PsnrDeltaDb, double SsimDeltaDb, double UnchangedShare);

public sealed record EncodeQualityResult(DateTimeOffset StartedAt, string CommandLine, MachineInfo Machine, int Width, int Height, int Frames, string LoadAverage, IReadOnlyList<EncodeCandidateResult> Rows);
