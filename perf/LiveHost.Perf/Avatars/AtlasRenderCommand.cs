using System.Diagnostics;
using System.Text;
using LiveHost.Avatars;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic;
using LiveHost.Avatars.Realistic.Atlas;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;
using static System.FormattableString;

namespace LiveHost.Perf.Avatars;

/// <summary>
/// <c>atlas-render</c>: what the mouth atlas costs per frame, and how well the builder's alignment labels the
/// recording. The package is built by the studio's builder from the LABELLED SYNTHETIC viseme-face recording (its
/// sample transcript read by espeak-ng, one drawn mouth shape per viseme) with <c>--transcript</c>; the process is
/// pinned to one core; frames follow a spoken line's visemes (espeak-ng's marks at 25 fps) with idle frames between.
/// Stages: the atlas draw alone (pick a sample, cross-fade, blend into the room-size frame) and the whole avatar
/// render with the atlas. Wall time per frame and the thread's CPU time per frame.
/// </summary>
public sealed class AtlasRenderCommand : IBenchmarkCommand
{
    public string Name => "atlas-render";

    public string Summary => "the mouth atlas's cost per frame on one core, and the builder's alignment accuracy";

    public string Usage => """
          --width N --height N   room size (default 1280x720)
          --frames N             frames per stage (default 3000)
          --core N               the CPU core to pin to (default 0; -1: do not pin)
          --out DIR              where the result files go (default perf/results)
        """;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var width = arguments.Number("width", 1280, 160, 3840);
        var height = arguments.Number("height", 720, 120, 2160);
        var frames = arguments.Number("frames", 3000, 100, 100_000);
        var core = arguments.Number("core", 0, -1, 255);
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);

        Console.WriteLine("building an atlas package from the synthetic viseme-face recording...");
        var buildClock = Stopwatch.StartNew();
        using var built = await RealisticTestPackage.BuildAsync(1280, 4, null, cancellationToken, atlas: true);
        var buildSeconds = buildClock.Elapsed.TotalSeconds;
        var alignment = Alignment(built.Truth!, built.Build!.Atlas!);
        var package = AvatarPackageLoader.Load(built.Directory, built.Verifier, TimeProvider.System);
        if (core >= 0 && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())) Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << core);

        var visemes = await SpokenAsync(cancellationToken);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        var stages = new List<AtlasStage>();
        using (var avatar = new RealisticAvatar(package))
        {
            // The face box of a real frame at the room's size, as the avatar computes it.
            avatar.Render(Frame(0, visemes), canvas, width, height);
            var face = avatar.LastFaceRect;
            using var mouth = new AtlasMouth(package);
            stages.Add(Run("atlas draw (pick, cross-fade, feathered blend)", frames, i => mouth.Draw(Frame(i, visemes), canvas, face)));
            stages.Add(Run("avatar render with the atlas (frame copy + atlas)", frames, i => avatar.Render(Frame(i, visemes), canvas, width, height)));
        }
        foreach (var stage in stages)
        {
            Console.WriteLine(Invariant($"{stage.Name}: p50 {stage.WallMs.P50:0.000} ms, p95 {stage.WallMs.P95:0.000} ms, max {stage.WallMs.Max:0.000} ms; thread CPU {stage.CpuMsPerFrame:0.000} ms/frame"));
        }
        Console.WriteLine(alignment.Summary);
        var loadAverage = await ReportHeader.LoadAverageAsync(cancellationToken);
        var result = new AtlasRenderResult(startedAt, ReportHeader.CommandLine(Name + " " + arguments.Raw), machine, width, height, core,
            package.Atlas!.Samples.Count, package.Atlas.CellWidth, package.Atlas.CellHeight, buildSeconds, alignment, loadAverage, stages);
        var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd-HHmm}-atlas-render", result, json => Report(result, json), ReportFiles.Json, cancellationToken);
        Console.WriteLine($"wrote {md}");
        return 0;
    }

    private static AvatarFrame Frame(long index, Viseme[] visemes)
    {
        var viseme = visemes[index % visemes.Length];
        var speaking = index % visemes.Length > 5 && index % visemes.Length < visemes.Length - 5;
        return new AvatarFrame(index, index / 25.0, viseme, speaking ? 0.5f : 0, speaking);
    }

    private static async Task<Viseme[]> SpokenAsync(CancellationToken cancellationToken)
    {
        using var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);
        return await new TranscriptVisemes(speech).ReferenceAsync(
            ["Fresh coffee is waiting for you: order today and share the joy with your friends."], "en", 25, cancellationToken);
    }

    private static AtlasStage Run(string name, int frames, Action<long> draw)
    {
        var (wall, cpu) = FrameStage.Run(name, frames, i => draw(i));
        return new AtlasStage(name, frames, wall, cpu);
    }

    private static AtlasAlignment Alignment(Viseme[] truth, MouthAtlasBuildResult atlas)
    {
        var frames = Enumerable.Range(0, Math.Min(truth.Length, atlas.Labels.Length)).Where(i => truth[i] != Viseme.Silence).ToArray();
        double Agreement(Viseme[] labels) => frames.Count(i => labels[i] == truth[i]) / (double)frames.Length;
        var samples = atlas.Atlas.Samples;
        var right = samples.Count(s => s.Frame < truth.Length && truth[s.Frame].ToString() == s.Viseme);
        return new AtlasAlignment(frames.Length, Agreement(atlas.Labels), Agreement(atlas.ModelLabels), Agreement(atlas.StretchedLabels), samples.Count, right);
    }

    private static string Report(AtlasRenderResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "Mouth atlas: render cost and alignment", r.StartedAt, r.CommandLine, r.Machine, r.LoadAverage);
        s.AppendLine(Invariant($"- Room {r.Width}x{r.Height}; process pinned to core {r.Core} (-1: not pinned); atlas of {r.Samples} samples, cell {r.CellWidth}x{r.CellHeight}, built in {r.BuildSeconds:0} s"));
        s.AppendLine("- Recording: LABELLED SYNTHETIC (espeak-ng reading the sample transcript at 140 wpm over a drawn face, one mouth shape per viseme); the builder's espeak-ng reads it at 175 wpm");
        s.AppendLine($"- Raw samples: `{jsonFile}`");
        s.AppendLine();
        s.AppendLine("| stage | wall p50 ms | wall p95 ms | wall max ms | thread CPU ms/frame |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var stage in r.Stages)
        {
            s.AppendLine(Invariant($"| {stage.Name} | {stage.WallMs.P50:0.000} | {stage.WallMs.P95:0.000} | {stage.WallMs.Max:0.000} | {stage.CpuMsPerFrame:0.000} |"));
        }
        s.AppendLine();
        s.AppendLine(r.Alignment.Summary);
        return s.ToString();
    }
}

public sealed record AtlasStage(string Name, int Frames, Distribution WallMs, double CpuMsPerFrame);

public sealed record AtlasAlignment(int SpeakingFrames, double Dtw, double ModelAlone, double Stretched, int Samples, int SamplesRight)
{
    public string Summary => Invariant(
        $"Labels vs the drawn truth on {SpeakingFrames} speaking frames: DTW (transcript warped onto the audio model) {Dtw:P1}, audio model alone {ModelAlone:P1}, transcript stretched evenly {Stretched:P1}; {SamplesRight} of {Samples} atlas samples cut from a frame showing their viseme.");
}

public sealed record AtlasRenderResult(
    DateTimeOffset StartedAt, string CommandLine, MachineInfo Machine, int Width, int Height, int Core, int Samples, int CellWidth, int CellHeight,
    double BuildSeconds, AtlasAlignment Alignment, string LoadAverage, IReadOnlyList<AtlasStage> Stages);
