using System.Diagnostics;
using LiveHost.Perf.Measurement;
using Microsoft.ML.OnnxRuntime;

namespace LiveHost.Perf.Inference;

/// <summary>
/// Times one ONNX model at a batch size on the session the server would use (OnnxModelHost's options: all graph
/// optimisations, onnxruntime's default intra-op threads): inputs and outputs bound once through an OrtIoBinding, as
/// the server's batching runner does, then back-to-back calls for the given time.
/// </summary>
public static class ModelBenchmark
{
    public static ModelTiming Run(string name, InferenceSession session, int batch, TimeSpan duration, CancellationToken cancellationToken)
    {
        var random = new Random(20261125);
        var values = new List<OrtValue>();
        using var binding = session.CreateIoBinding();
        using var runOptions = new RunOptions();
        try
        {
            foreach (var (inputName, meta) in session.InputMetadata)
            {
                var shape = Shape(meta, batch);
                var data = new float[shape.Aggregate(1L, (a, d) => a * d)];
                // Mel windows live in -4..4, faces in 0..1; the cost does not depend on the values, but keep them plausible.
                var (low, high) = inputName == "mel" ? (-4f, 4f) : (0f, 1f);
                for (var i = 0; i < data.Length; i++) data[i] = low + (high - low) * random.NextSingle();
                var value = OrtValue.CreateTensorValueFromMemory(data, shape);
                values.Add(value);
                binding.BindInput(inputName, value);
            }
            foreach (var (outputName, meta) in session.OutputMetadata)
            {
                var shape = Shape(meta, batch);
                var value = OrtValue.CreateTensorValueFromMemory(new float[shape.Aggregate(1L, (a, d) => a * d)], shape);
                values.Add(value);
                binding.BindOutput(outputName, value);
            }

            session.RunWithBinding(runOptions, binding); // warm-up: the first call plans memory
            var latencies = new List<double>();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            while (latencies.Count < 3 || Stopwatch.GetElapsedTime(started) < duration)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var call = Stopwatch.GetTimestamp();
                session.RunWithBinding(runOptions, binding);
                latencies.Add(Stopwatch.GetElapsedTime(call).TotalMilliseconds);
            }
            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            return new ModelTiming(name, batch, latencies.Count, wall, latencies.Count * batch / wall, Distribution.Of(latencies), cpu / wall);
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    private static long[] Shape(NodeMetadata meta, int batch) =>
        meta.Dimensions.Select((d, i) => i == 0 ? batch : d > 0 ? d : throw new InvalidOperationException("only the batch axis may be dynamic")).Select(d => (long)d).ToArray();
}
