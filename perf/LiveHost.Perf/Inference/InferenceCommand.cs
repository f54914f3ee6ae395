using System.Diagnostics;
using System.Text.Json;
using LiveHost.Inference;
using LiveHost.Inference.Audio;
using LiveHost.Inference.Onnx;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Perf.Inference;

/// <summary>
/// <c>inference</c>: frames per second and latency per batch size of the Wav2Lip-architecture model (seeded random
/// weights) and of the viseme model on this machine's CPU, the mel front end per frame, and how many 25 fps rooms
/// that leaves room for once each room's own render and ffmpeg encode (from a foundation result) is paid.
/// </summary>
public sealed class InferenceCommand : IBenchmarkCommand
{
    private const int Fps = 25;

    public string Name => "inference";

    public string Summary => "ONNX models on the CPU: fps and latency per batch size, mel front end, rooms per machine";

    public string Usage => InferenceBenchOptions.Usage;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var options = InferenceBenchOptions.From(arguments);
        var startedAt = DateTimeOffset.Now;
        var notes = new List<string>();
        if (!File.Exists(options.Wav2LipModel) && !await GenerateWav2LipAsync(options.Wav2LipModel, cancellationToken))
        {
            return 1;
        }
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        using var host = new OnnxModelHost(Microsoft.Extensions.Options.Options.Create(
            new InferenceOptions { PreferGpu = options.Provider != InferenceBenchOptions.CpuProvider }), NullLoggerFactory.Instance);
        if (options.Provider == InferenceBenchOptions.CudaProvider && host.ExecutionProvider != OnnxModelHost.Cuda)
        {
            Console.Error.WriteLine("inference: --provider cuda, but onnxruntime cannot use CUDA here (it needs the CUDA package: "
                + "dotnet run -c Release -p:LiveHostGpu=true --project perf/LiveHost.Perf -- inference ...; and a CUDA device with its libraries). Nothing measured.");
            return 2;
        }
        var gpuNote = host.ExecutionProvider == OnnxModelHost.Cuda
            ? $"CUDA was usable; the numbers below are GPU numbers ({await GpuNameAsync(cancellationToken)})."
            : "No GPU was available in this session (the CPU onnxruntime package, no CUDA device): every number is CPU-only and GPU numbers were not measured.";
        Console.WriteLine($"inference: provider {host.ExecutionProvider}; {machine.LogicalCores} logical cores ({machine.CpuModel}); batches {string.Join(',', options.Batches)}, {options.Seconds} s each");

        var timings = new List<ModelTiming>();
        // A model given with --wav2lip (e.g. converted from real weights) is named after its file.
        var wav2lipName = Path.GetFileName(options.Wav2LipModel) == "wav2lip-arch-random.onnx"
            ? "wav2lip-arch-random" : $"wav2lip ({Path.GetFileNameWithoutExtension(options.Wav2LipModel)})";
        foreach (var (name, path) in new[] { (wav2lipName, options.Wav2LipModel), ("viseme-v1", options.VisemeModel) })
        {
            var session = host.GetSession(path);
            foreach (var batch in options.Batches)
            {
                var timing = ModelBenchmark.Run(name, session, batch, TimeSpan.FromSeconds(options.Seconds), cancellationToken);
                timings.Add(timing);
                Console.WriteLine(FormattableString.Invariant(
                    $"{name,-20} batch {batch,2}: {timing.FramesPerSecond,9:0.0} frames/s, latency p50 {timing.LatencyMs.P50,8:0.000} ms p95 {timing.LatencyMs.P95,8:0.000} ms ({timing.Calls} calls), {timing.ProcessCpuCores:0.00} cores busy"));
            }
        }

        var frontEnd = TimeFrontEnd(TimeSpan.FromSeconds(Math.Min(options.Seconds, 5)));
        Console.WriteLine(FormattableString.Invariant($"mel front end: p50 {frontEnd.MicrosecondsPerFrame.P50:0.0} us p95 {frontEnd.MicrosecondsPerFrame.P95:0.0} us per frame ({frontEnd.Frames} frames)"));

        var (roomCores, source) = ReadRoomCores(options.FoundationReport, notes);
        var rooms = new List<RoomEstimate>();
        foreach (var model in timings.Select(t => t.Model).Distinct())
        {
            var best = timings.Where(t => t.Model == model).MinBy(t => t.ProcessCpuCores * 1000 / t.FramesPerSecond)!;
            var coreMs = best.ProcessCpuCores * 1000 / best.FramesPerSecond + (model.StartsWith("viseme", StringComparison.Ordinal) || model.StartsWith("wav2lip", StringComparison.Ordinal)
                ? frontEnd.MicrosecondsPerFrame.P50 / 1000 : 0);
            var perRoom = roomCores + Fps * coreMs / 1000;
            var count = machine.LogicalCores / perRoom;
            rooms.Add(new RoomEstimate(model, best.Batch, coreMs, roomCores, perRoom, count, FormattableString.Invariant(
                $"{machine.LogicalCores} cores / ({roomCores:0.000} cores render+encode + {Fps} fps x {coreMs:0.000} core-ms model+mel per frame at batch {best.Batch} = {perRoom:0.000} cores) = {count:0.00} rooms")));
        }
        foreach (var estimate in rooms) Console.WriteLine($"rooms with {estimate.Model}: {estimate.Arithmetic}");
        if (host.ExecutionProvider == OnnxModelHost.Cuda)
        {
            // On a GPU the model's frames/s bounds the rooms one device serves; the CPU-core estimate above does not apply to it.
            foreach (var timing in timings.Where(t => t.Model.StartsWith("wav2lip", StringComparison.Ordinal)))
            {
                var perGpu = FormattableString.Invariant(
                    $"{timing.Model} on the GPU at batch {timing.Batch}: {timing.FramesPerSecond:0.0} frames/s / {Fps} fps = {timing.FramesPerSecond / Fps:0.0} rooms per GPU (model only; each room's render and encode stay on the CPU)");
                Console.WriteLine(perGpu);
                notes.Add(perGpu);
            }
        }

        notes.Add("Latency is wall time of one model call with onnxruntime's default intra-op threads (one per core); frames/s = batch x calls / wall time. "
            + "Cores busy is this process's CPU time over the same wall time, so core-ms per frame = cores busy x 1000 / frames per second.");
        notes.Add("The machine is shared with other work (see the load in the foundation report), so wall-clock figures are pessimistic; the core-ms figures are steadier.");
        notes.Add("The Wav2Lip-architecture model has seeded random weights: it measures the cost of a Wav2Lip-class model, not its quality.");
        var result = new InferenceResult(startedAt, ReportHeader.CommandLine("inference " + arguments.Raw), machine,
            host.ExecutionProvider, gpuNote, timings, frontEnd, source, roomCores, rooms, notes);
        var (markdown, json) = await WriteAsync(result, options.OutputFolder, cancellationToken);
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    private static FrontEndTiming TimeFrontEnd(TimeSpan duration)
    {
        var extractor = new MelWindowExtractor();
        var audio = new float[2 * 9600];
        var random = new Random(7);
        for (var i = 0; i < audio.Length; i++) audio[i] = 0.3f * MathF.Sin(i * 0.05f) + 0.1f * (random.NextSingle() - 0.5f);
        var window = new float[MelParameters.WindowLength];
        for (var i = 0; i < 50; i++) extractor.ComputeForFrame(audio, 9600, MelWindowAlignment.CenteredOnFrame, window);
        var samples = new List<double>();
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            var t = Stopwatch.GetTimestamp();
            extractor.ComputeForFrame(audio, 9600, MelWindowAlignment.CenteredOnFrame, window);
            samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds * 1000);
        }
        return new FrontEndTiming(samples.Count, Distribution.Of(samples));
    }

    private static (double Cores, string Source) ReadRoomCores(string foundationJson, List<string> notes)
    {
        // Measured 2026-11-25 on this machine: 0.541 cores per 1280x720 room at 25 fps (render, x264 veryfast, AAC).
        const double Fallback = 0.5407;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(foundationJson));
            var cores = document.RootElement.GetProperty("Cpu").GetProperty("FullRateCoresPerRoom").GetDouble();
            return (cores, $"{foundationJson} (Cpu.FullRateCoresPerRoom: cartoon render + libx264 veryfast + AAC per 1280x720 room at 25 fps)");
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            notes.Add($"Could not read {foundationJson} ({e.Message}); used the recorded 0.541 cores per room.");
            return (Fallback, "perf/results/2026-11-25-foundation.md (0.541 cores per room at full frame rate)");
        }
    }

    /// <summary>The device as nvidia-smi names it (name, memory, driver), or a note that it could not be asked.</summary>
    private static async Task<string> GpuNameAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi")
            {
                ArgumentList = { "--query-gpu=index,name,memory.total,driver_version", "--format=csv,noheader" },
                RedirectStandardOutput = true, UseShellExecute = false,
            })!;
            var text = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 ? "device: " + text.Trim().ReplaceLineEndings("; ") : $"nvidia-smi exited {process.ExitCode}; device not named";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "nvidia-smi not found; device not named";
        }
    }

    private static async Task<bool> GenerateWav2LipAsync(string path, CancellationToken cancellationToken)
    {
        const string Python = "/usr/bin/python3";
        var tool = Path.Combine("onnx-models", "tools", "wav2lip_arch.py");
        var how = $"Generate it with: {Python} {tool} {path}   (needs Debian's python3 with torch and onnx: apt-get install python3-torch python3-onnx)";
        if (!File.Exists(Python) || !File.Exists(tool))
        {
            Console.Error.WriteLine($"{path} is missing and {Python} or {tool} is not available. {how}");
            return false;
        }
        Console.WriteLine($"{path} is missing; generating it ({Python} {tool}), about a minute");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var process = Process.Start(new ProcessStartInfo(Python) { ArgumentList = { tool, path }, UseShellExecute = false })!;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode == 0 && File.Exists(path)) return true;
        Console.Error.WriteLine($"generating {path} failed (exit {process.ExitCode}). {how}");
        return false;
    }

    private static Task<(string Markdown, string Json)> WriteAsync(InferenceResult result, string folder, CancellationToken cancellationToken) =>
        ReportFiles.WriteAsync(folder, $"{result.StartedAt:yyyy-MM-dd}-inference", result, jsonName => InferenceReport.Markdown(result, jsonName), ReportFiles.Json, cancellationToken);
}
