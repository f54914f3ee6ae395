using System.Diagnostics;
using System.Text;
using LiveHost.Avatars;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using SkiaSharp;
using static System.FormattableString;

namespace LiveHost.Perf.Density;

/// <summary>
/// <c>scene-render</c>: what drawing one frame of the built-in cartoon room costs, as the room's compositor draws it
/// (presenter, caption, AI label), speaking: the viseme changes every frame, the caption every 100 frames. Stages: the
/// presenter alone on a bitmap canvas (Skia draws everything) and on a surface (as in a room: the posed head is
/// blended by <see cref="AffineBilinearBlend"/>), and the whole compose. Wall time per frame and the thread's CPU time per frame, on one pinned core.
/// </summary>
public sealed class SceneRenderCommand : IBenchmarkCommand
{
    public string Name => "scene-render";

    public string Summary => "the built-in cartoon room's render cost per frame (presenter alone, whole compose) on one core";

    public string Usage => """
          --width N --height N   room size (default 1280x720)
          --frames N             frames per stage (default 2000)
          --look ID              cartoon look (default cartoon)
          --core N               the CPU core to pin to (default 1; -1: do not pin)
          --out DIR              where the result files go (default perf/results)
        """;

    private static readonly string[] Captions =
    [
        "Welcome back to the show! Today we have three new flavours of our cold brew.",
        "Order in the next ten minutes and the shipping is on us.",
        "这款保温杯可以保温十二个小时，今天直播间专享价一百九十九元。",
    ];

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var width = arguments.Number("width", 1280, 160, 3840);
        var height = arguments.Number("height", 720, 120, 2160);
        var frames = arguments.Number("frames", 2000, 100, 100_000);
        var look = arguments.Text("look", CartoonPresenter.BuiltInId);
        var core = arguments.Number("core", 1, -1, 255);
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        arguments.ThrowIfUnknown();
        if (!CartoonLook.TryGet(look, out var cartoonLook)) throw new ArgumentException($"--look: no cartoon look '{look}'");
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        if (core >= 0 && OperatingSystem.IsLinux()) Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << core);

        var stages = new List<RenderStage>();
        var bgra = new byte[width * height * 4];
        using (var presenter = new CartoonPresenter(cartoonLook))
        using (var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul)))
        using (var canvas = new SKCanvas(bitmap))
        {
            stages.Add(Run("presenter alone, on a bitmap canvas (Skia samples the posed head)", frames, i => presenter.Render(Frame(i), canvas, width, height)));
        }
        using (var presenter = new CartoonPresenter(cartoonLook))
        using (var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul)))
        {
            // A surface, as the room's frames are: the posed head goes through AffineBilinearBlend.
            stages.Add(Run("presenter alone, on a surface (as in a room)", frames, i => presenter.Render(Frame(i), surface.Canvas, width, height)));
        }
        using (var compositor = new FrameCompositor(new CartoonPresenter(cartoonLook), width, height, "en", ownsAvatar: true))
        {
            stages.Add(Run("whole compose (presenter, caption, AI label)", frames, i => compositor.Compose(Frame(i), Captions[i / 100 % Captions.Length], bgra)));
        }
        foreach (var stage in stages)
        {
            Console.WriteLine(Invariant($"{stage.Name}: p50 {stage.WallMs.P50:0.000} ms, p95 {stage.WallMs.P95:0.000} ms; thread CPU {stage.CpuMsPerFrame:0.000} ms/frame"));
        }
        var loadAverage = await ReportHeader.LoadAverageAsync(cancellationToken);
        var result = new SceneRenderResult(startedAt, ReportHeader.CommandLine(Name + " " + arguments.Raw), machine, width, height, look, core, loadAverage, stages);
        var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd-HHmm}-scene-render", result, json => Report(result, json), ReportFiles.Json, cancellationToken);
        Console.WriteLine($"wrote {md}");
        return 0;
    }

    // Speaking all the time: a new viseme every frame, so the mouth always changes.
    private static AvatarFrame Frame(long index) =>
        new(index, index / 25.0, (Viseme)(1 + index % 14), 0.5f, Speaking: true);

    private static RenderStage Run(string name, int frames, Action<int> draw)
    {
        var (wall, cpu) = FrameStage.Run(name, frames, draw);
        return new RenderStage(name, frames, wall, cpu);
    }

    private static string Report(SceneRenderResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "Cartoon room: render cost per frame", r.StartedAt, r.CommandLine, r.Machine, r.LoadAverage);
        s.AppendLine(Invariant($"- Room {r.Width}x{r.Height}, look `{r.Look}`, speaking (a new viseme every frame, a new caption every 100 frames); process pinned to core {r.Core} (-1: not pinned)"));
        s.AppendLine($"- Raw samples: `{jsonFile}`");
        s.AppendLine();
        s.AppendLine("| stage | wall p50 ms | wall p95 ms | wall max ms | thread CPU ms/frame |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var stage in r.Stages)
        {
            s.AppendLine(Invariant($"| {stage.Name} | {stage.WallMs.P50:0.000} | {stage.WallMs.P95:0.000} | {stage.WallMs.Max:0.000} | {stage.CpuMsPerFrame:0.000} |"));
        }
        return s.ToString();
    }
}

public sealed record RenderStage(string Name, int Frames, Distribution WallMs, double CpuMsPerFrame);

public sealed record SceneRenderResult(
    DateTimeOffset StartedAt, string CommandLine, MachineInfo Machine, int Width, int Height, string Look, int Core, string LoadAverage,
    IReadOnlyList<RenderStage> Stages);
