using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace VisemeDataset;

/// <summary>
/// Runs the exported viseme model in ONNX Runtime (the runtime the server uses) on the probe windows that
/// train_viseme.py stored in the report with torch's logits, and compares. Debian's python has no onnxruntime,
/// so this is where torch and the ONNX file are checked against each other.
/// </summary>
public static class OnnxProbeCheck
{
    public const double Tolerance = 1e-3;

    /// <returns>0 when every logit matches within <see cref="Tolerance"/>, else 1.</returns>
    public static int Run(string modelPath, string reportPath)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(reportPath));
        var probe = report.RootElement.GetProperty("probe");
        var mels = probe.GetProperty("mel").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var want = probe.GetProperty("logits").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

        using var session = new InferenceSession(modelPath);
        var input = new DenseTensor<float>([mels.Length, 1, 80, 16]);
        for (var b = 0; b < mels.Length; b++)
        {
            for (var i = 0; i < mels[b].Length; i++) input.Buffer.Span[b * mels[b].Length + i] = mels[b][i];
        }
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("mel", input)]);
        var logits = results.First(r => r.Name == "logits").AsTensor<float>();
        double worst = 0;
        for (var b = 0; b < want.Length; b++)
        {
            for (var c = 0; c < want[b].Length; c++) worst = Math.Max(worst, Math.Abs(logits[b, c] - want[b][c]));
        }
        var ok = worst <= Tolerance;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"onnxruntime CPU latency, one window (batch 1), default session options: {BestLatencyMilliseconds(session, mels[0]):F3} ms (best of 10 runs of 200 calls)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{modelPath}: {want.Length} probe windows, max |onnxruntime - torch| = {worst:E2} ({(ok ? "ok" : "MISMATCH")}, tolerance {Tolerance})"));
        return ok ? 0 : 1;
    }

    private static double BestLatencyMilliseconds(InferenceSession session, float[] window)
    {
        var one = new DenseTensor<float>(window.AsMemory(), [1, 1, 80, 16]);
        var inputs = new[] { NamedOnnxValue.CreateFromTensor("mel", one) };
        for (var i = 0; i < 50; i++) session.Run(inputs).Dispose();
        var best = double.MaxValue;
        for (var run = 0; run < 10; run++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 200; i++) session.Run(inputs).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / 200);
        }
        return best;
    }
}
