using System.Text;
using LiveHost.Avatars;
using LiveHost.Encoding.X264;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using static System.FormattableString;

namespace LiveHost.Perf.Density;

/// <summary>
/// <c>bgra-i420</c>: what converting one drawn frame to x264's I420 costs, per <see cref="BgraToI420Path"/>, on the
/// cartoon room's own frames (the compositor's output, drawn once before timing). Wall time per frame and this
/// thread's CPU per frame; every path's planes are compared with the scalar path's first, so a fast wrong path fails
/// the run instead of reporting a number.
/// </summary>
public sealed class BgraToI420Command : IBenchmarkCommand
{
    public string Name => "bgra-i420";

    public string Summary => "BGRA to I420 before x264, per path (scalar, Vector128, Vector256): ms per 720p frame";

    public string Usage => """
          --width N --height N   room size (default 1280x720)
          --frames N             conversions per path (default 2000)
          --out DIR              where the result files go (default perf/results)
        """;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var width = arguments.Number("width", 1280, 16, 3840) & ~1;
        var height = arguments.Number("height", 720, 16, 2160) & ~1;
        var frames = arguments.Number("frames", 2000, 100, 100_000);
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);

        // Four different frames of the room speaking, converted in turn (so no path gets one frame's cache to itself).
        var pictures = new byte[4][];
        using (var compositor = new FrameCompositor(new CartoonPresenter(), width, height, "en", ownsAvatar: true))
        {
            for (var i = 0; i < pictures.Length; i++)
            {
                pictures[i] = new byte[width * height * 4];
                compositor.Compose(new AvatarFrame(i * 7, i * 7 / 25.0, (Viseme)(1 + i * 3 % 14), 0.5f, Speaking: true), "Welcome back to the show!", pictures[i]);
            }
        }
        var lumaSize = width * height;
        var chromaSize = lumaSize / 4;
        var reference = new byte[lumaSize + 2 * chromaSize];
        var planes = new byte[lumaSize + 2 * chromaSize];
        void Convert(byte[] bgra, byte[] into, BgraToI420Path path) =>
            BgraToI420.Convert(bgra, width, height, into.AsSpan(0, lumaSize), width, into.AsSpan(lumaSize, chromaSize), width / 2, into.AsSpan(lumaSize + chromaSize, chromaSize), width / 2, path);

        var rows = new List<ConversionRow>();
        foreach (var path in Enum.GetValues<BgraToI420Path>())
        {
            foreach (var picture in pictures)
            {
                Convert(picture, reference, BgraToI420Path.Scalar);
                Convert(picture, planes, path);
                if (!planes.AsSpan().SequenceEqual(reference)) throw new InvalidOperationException($"{path} differs from the scalar path at byte {planes.AsSpan().CommonPrefixLength(reference)}");
            }
            var (wall, cpu) = FrameStage.Run(path.ToString(), frames, i => Convert(pictures[i % pictures.Length], planes, path));
            rows.Add(new ConversionRow(path.ToString(), path == BgraToI420.FastestPath, wall, cpu));
            Console.WriteLine(Invariant($"{path}: p50 {wall.P50:0.000} ms, p95 {wall.P95:0.000} ms, thread CPU {cpu:0.000} ms/frame{(path == BgraToI420.FastestPath ? " (the encoder's)" : "")}"));
        }
        var loadAverage = await ReportHeader.LoadAverageAsync(cancellationToken);
        var result = new ConversionResult(startedAt, ReportHeader.CommandLine(Name + " " + arguments.Raw), machine, width, height, frames, loadAverage, rows);
        var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd-HHmm}-bgra-i420", result, json => Report(result, json), ReportFiles.Json, cancellationToken);
        Console.WriteLine($"wrote {md}");
        return 0;
    }

    private static string Report(ConversionResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "BGRA to I420 before x264: cost per frame by path", r.StartedAt, r.CommandLine, r.Machine, r.LoadAverage);
        s.AppendLine(Invariant($"- {r.Width}x{r.Height}, {r.Frames} conversions per path of four cartoon room frames in turn, after 50 of warm-up; every path's planes equal the scalar path's (checked first)"));
        s.AppendLine($"- Raw results: `{jsonFile}`");
        s.AppendLine();
        s.AppendLine("| path | used by the encoder here | wall p50 ms | wall p95 ms | thread CPU ms/frame |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var row in r.Rows)
        {
            s.AppendLine(Invariant($"| {row.Path} | {(row.Fastest ? "yes" : "")} | {row.WallMs.P50:0.000} | {row.WallMs.P95:0.000} | {row.CpuMsPerFrame:0.000} |"));
        }
        return s.ToString();
    }
}

public sealed record ConversionRow(string Path, bool Fastest, Distribution WallMs, double CpuMsPerFrame);

public sealed record ConversionResult(DateTimeOffset StartedAt, string CommandLine, MachineInfo Machine, int Width, int Height, int Frames, string LoadAverage, IReadOnlyList<ConversionRow> Rows);
