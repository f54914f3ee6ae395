using System.Globalization;
using LiveHost.Perf.Cli;

namespace LiveHost.Perf.Inference;

/// <summary>Options of the <c>inference</c> benchmark.</summary>
public sealed record InferenceBenchOptions(IReadOnlyList<int> Batches, int Seconds, string Wav2LipModel, string VisemeModel, string FoundationReport, string OutputFolder,
    string Provider = InferenceBenchOptions.AutoProvider)
{
    public const string AutoProvider = "auto";
    public const string CpuProvider = "cpu";
    public const string CudaProvider = "cuda";

    public const string Usage = """
          --batches LIST   batch sizes to time, comma-separated (default 1,2,4,8)
          --seconds N      seconds of calls per model and batch size (default 10; at least 3 calls each)
          --wav2lip PATH   Wav2Lip-architecture model (default onnx-models/.generated/wav2lip-arch-random.onnx, generated if missing)
          --viseme PATH    viseme model (default onnx-models/viseme/viseme-v1.onnx)
          --foundation F   foundation result whose per-room CPU is the encode cost (default perf/results/2026-11-25-foundation.json)
          --out DIR        where the result files go (default perf/results)
          --provider P     auto (CUDA when usable, else CPU; the default), cpu, or cuda (stop with exit code 2 unless CUDA
                           is usable: build with -p:LiveHostGpu=true for onnxruntime's CUDA package). A GPU run:
                           --provider cuda --batches 1,8,32 [--wav2lip a convert_wav2lip.py model, fp32 or --fp16]
        """;

    public static InferenceBenchOptions From(CommandArguments arguments)
    {
        var batches = arguments.Text("batches", "1,2,4,8").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(b => int.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64
                ? n : throw new ArgumentException($"--batches must list integers 1..64, not '{b}'"))
            .Distinct().Order().ToArray();
        if (batches.Length == 0) throw new ArgumentException("--batches is empty");
        var options = new InferenceBenchOptions(
            batches,
            arguments.Number("seconds", 10, 1, 600),
            arguments.Text("wav2lip", Path.Combine("onnx-models", ".generated", "wav2lip-arch-random.onnx")),
            arguments.Text("viseme", Path.Combine("onnx-models", "viseme", "viseme-v1.onnx")),
            arguments.Text("foundation", Path.Combine("perf", "results", "2026-11-25-foundation.json")),
            arguments.Text("out", Path.Combine("perf", "results")),
            arguments.Text("provider", AutoProvider));
        if (options.Provider is not (AutoProvider or CpuProvider or CudaProvider))
            throw new ArgumentException($"--provider must be auto, cpu or cuda, not '{options.Provider}'");
        arguments.ThrowIfUnknown();
        return options;
    }
}
