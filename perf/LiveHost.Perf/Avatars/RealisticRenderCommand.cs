using System.Diagnostics;
using System.Text;
using LiveHost.Avatars;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic;
using LiveHost.Inference;
using LiveHost.Inference.Models;
using LiveHost.Inference.Onnx;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;
using static System.FormattableString;

namespace LiveHost.Perf.Avatars;

/// <summary>
/// <c>realistic-render</c>: where a realistic room's frame time goes. A package built by the studio's builder
/// (<see cref="RealisticTestPackage"/>) is drawn into a room-size frame on the real 25 fps clock, stage by stage:
/// the package's JPEG decode alone, the avatar without lip-sync, the avatar with lip-sync (the analytic
/// Wav2Lip-contract fixture through the shared batched runner), and the room's whole compose (avatar, lip-sync,
/// caption, AI label) as the engine calls it. Wall time per frame, process CPU per frame, late lip-sync frames.
/// </summary>
public sealed class RealisticRenderCommand : IBenchmarkCommand
{
    public string Name => "realistic-render";

    public string Summary => "a realistic avatar's frame time, stage by stage, on the real 25 fps clock";

    public string Usage => """
          --width N --height N   room size (default 1280x720)
          --package-width N      the package's width (default 1280, the builder's default)
          --seconds N            seconds per stage (default 20)
          --video PATH           build the package from this recording (default: the labelled synthetic face video)
          --out DIR              where the result files go (default perf/results)
        """;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var width = arguments.Number("width", 1280, 160, 3840);
        var height = arguments.Number("height", 720, 120, 2160);
        var packageWidth = arguments.Number("package-width", 1280, 160, 3840);
        var seconds = arguments.Number("seconds", 20, 2, 600);
        var video = arguments.Text("video", "");
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);

        Console.WriteLine($"building a {packageWidth}-wide package...");
        using var built = await RealisticTestPackage.BuildAsync(packageWidth, 4, video.Length == 0 ? null : video, cancellationToken);
        var package = AvatarPackageLoader.Load(built.Directory, built.Verifier, TimeProvider.System);
        var jpegKb = Enumerable.Range(0, package.FrameCount).Average(i => package.FrameJpeg(i).Length) / 1024.0;
        using var models = new OnnxModelHost(Options.Create(new InferenceOptions { PreferGpu = false }), NullLoggerFactory.Instance);
        var lipSync = new Wav2LipModel(models, package.ModelPath(package.LipSyncModel!));
        var frames = seconds * 25;
        var stages = new List<RenderStage>();

        using (var decoder = new PackageFrameDecoder(package))
        {
            stages.Add(await RunStageAsync("JPEG decode of the package frame", frames, (i, _) =>
            {
                decoder.Decode(package.LoopFrame(i));
                return 0;
            }, cancellationToken));
        }
        using (var canvasBitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul)))
        using (var canvas = new SKCanvas(canvasBitmap))
        {
            using (var plain = new RealisticAvatar(package))
            {
                stages.Add(await RunStageAsync("avatar, recorded mouth (decode + draw to room size)", frames, (i, audio) =>
                {
                    plain.Render(Frame(i, audio), canvas, width, height);
                    return 0;
                }, cancellationToken));
            }
            using var synced = new RealisticAvatar(package, lipSync);
            stages.Add(await RunStageAsync("avatar with lip-sync", frames, (i, audio) =>
            {
                var late = synced.LateFrames;
                synced.Render(Frame(i, audio), canvas, width, height);
                return synced.LateFrames - late;
            }, cancellationToken));
        }
        var room = new RealisticAvatar(package, lipSync);
        using (var compositor = new FrameCompositor(room, width, height, "en", ownsAvatar: true))
        {
            var bgra = new byte[compositor.FrameBytes];
            const string caption = "Welcome back, everyone! Today we look at the new spring collection, and I will answer your questions as we go.";
            stages.Add(await RunStageAsync("room compose (avatar, lip-sync, caption, AI label)", frames, (i, audio) =>
            {
                var late = room.LateFrames;
                compositor.Compose(Frame(i, audio), caption, (i % 100) / 100f, bgra);
                return room.LateFrames - late;
            }, cancellationToken));
        }

        foreach (var stage in stages)
        {
            Console.WriteLine(Invariant($"{stage.Name}: p50 {stage.WallMs.P50:0.0} ms, p95 {stage.WallMs.P95:0.0} ms, max {stage.WallMs.Max:0.0} ms; CPU {stage.CpuMsPerFrame:0.0} ms/frame; late lip-sync {stage.LateLipSyncFrames}/{stage.Frames}"));
        }
        var loadAverage = await ReportHeader.LoadAverageAsync(cancellationToken);
        var result = new RealisticRenderResult(startedAt, ReportHeader.CommandLine(Name + " " + arguments.Raw), machine, width, height,
            package.Width, package.Height, package.FrameCount, jpegKb, built.Source, loadAverage, stages);
        var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd-HHmm}-realistic-render", result, json => Report(result, json), ReportFiles.Json, cancellationToken);
        Console.WriteLine($"wrote {md}");
        return 0;
    }

    private static AvatarFrame Frame(long index, float[] audio) =>
        new(index, index / 25.0, Viseme.Silence, 0.3f, true, audio);

    /// <summary>Runs <paramref name="draw"/> once per 40 ms tick, as the engine would, and times each call.</summary>
    private static async Task<RenderStage> RunStageAsync(string name, int frames, Func<long, float[], long> draw, CancellationToken cancellationToken)
    {
        Console.WriteLine($"{name}: {frames} frames...");
        var audio = SpeechLikeAudio();
        var wall = new double[frames];
        long late = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(40));
        // Warm-up: first decode, first inference (plans and allocates), JIT.
        for (var i = 0; i < 10; i++) draw(i, audio);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < frames; i++)
        {
            await timer.WaitForNextTickAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            late += draw(10 + i, audio);
            wall[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / frames;
        return new RenderStage(name, frames, Distribution.Of(wall), cpu, late);
    }

    private static float[] SpeechLikeAudio()
    {
        var audio = new float[2 * AvatarFrame.AudioContextSamples];
        var random = new Random(1);
        for (var i = 0; i < audio.Length; i++)
        {
            audio[i] = 0.3f * (0.6f * MathF.Sin(2 * MathF.PI * 180 * i / 48000f) + 0.4f * (float)(random.NextDouble() * 2 - 1));
        }
        return audio;
    }

    private static string Report(RealisticRenderResult r, string jsonFile)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "Realistic avatar render", r.StartedAt, r.CommandLine, r.Machine, r.LoadAverage);
        s.AppendLine(Invariant($"- Room {r.Width}x{r.Height} at 25 fps (budget 40 ms); package {r.PackageWidth}x{r.PackageHeight}, {r.PackageFrames} frames, JPEG q90 averaging {r.JpegKilobytes:0} KB, from {r.Source}"));
        s.AppendLine("- Lip-sync: the analytic Wav2Lip-contract test fixture through the batched runner (CPU): the avatar's own cost, not a real Wav2Lip's");
        s.AppendLine($"- Raw samples: `{jsonFile}`");
        s.AppendLine();
        s.AppendLine("| stage | wall p50 ms | wall p95 ms | wall max ms | CPU ms/frame | late lip-sync frames |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var stage in r.Stages)
        {
            s.AppendLine(Invariant($"| {stage.Name} | {stage.WallMs.P50:0.0} | {stage.WallMs.P95:0.0} | {stage.WallMs.Max:0.0} | {stage.CpuMsPerFrame:0.0} | {stage.LateLipSyncFrames} of {stage.Frames} |"));
        }
        return s.ToString();
    }
}

public sealed record RenderStage(string Name, int Frames, Distribution WallMs, double CpuMsPerFrame, long LateLipSyncFrames);

public sealed record RealisticRenderResult(
    DateTimeOffset StartedAt, string CommandLine, MachineInfo Machine, int Width, int Height, int PackageWidth, int PackageHeight,
    int PackageFrames, double JpegKilobytes, string Source, string LoadAverage, IReadOnlyList<RenderStage> Stages);
