using System.Runtime.InteropServices;
using System.Text.Json;
using LiveHost.Inference.Onnx;

namespace LiveHost.Inference.Models;

/// <summary>
/// Checks a converted Wav2Lip model the way the server runs it: loads it through <see cref="Wav2LipModel"/> (contract
/// check, shared session, batching runner), runs the probe inputs that <c>onnx-models/tools/convert_wav2lip.py</c>
/// stored beside it (<c>MODEL.onnx.probe.json</c>: seeded mel windows and faces with torch's output), one room per
/// probe item submitted together so they may share a batch, and reports the largest absolute difference from torch.
/// Debian's Python has no onnxruntime, so this is where torch and ONNX Runtime are compared.
/// </summary>
public static class Wav2LipProbeCheck
{
    public const string ProbeFormat = "livehost-wav2lip-probe-1";

    /// <summary>Reads a probe file; throws <see cref="InvalidDataException"/> naming what is wrong with it.</summary>
    public static Wav2LipProbe ReadProbe(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (format != ProbeFormat) throw new InvalidDataException($"{path} is not a Wav2Lip probe file (format '{format}', expected '{ProbeFormat}').");
        var batch = root.GetProperty("batch").GetInt32();
        var probe = new Wav2LipProbe(batch, root.GetProperty("precision").GetString() ?? "", root.GetProperty("tolerance").GetDouble(),
            Floats(root, "mel", batch * Wav2LipModel.MelLength, path),
            Floats(root, "face", batch * Wav2LipModel.FaceLength, path),
            Floats(root, "output", batch * Wav2LipModel.OutputLength, path));
        return probe;
    }

    /// <summary>Runs <paramref name="probe"/> through <paramref name="modelPath"/> on <paramref name="host"/>.</summary>
    public static async Task<Wav2LipProbeResult> RunAsync(OnnxModelHost host, string modelPath, Wav2LipProbe probe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(probe);
        var model = new Wav2LipModel(host, modelPath);
        var rooms = new Wav2LipRoom[probe.Batch];
        var runs = new Task[probe.Batch];
        for (var b = 0; b < probe.Batch; b++)
        {
            rooms[b] = model.CreateRoom();
            probe.Mel.AsSpan(b * Wav2LipModel.MelLength, Wav2LipModel.MelLength).CopyTo(rooms[b].Mel);
            probe.Face.AsSpan(b * Wav2LipModel.FaceLength, Wav2LipModel.FaceLength).CopyTo(rooms[b].Face);
            runs[b] = rooms[b].RunAsync(cancellationToken).AsTask();
        }
        await Task.WhenAll(runs).ConfigureAwait(false);
        double worst = 0;
        for (var b = 0; b < probe.Batch; b++)
        {
            var want = probe.Output.AsSpan(b * Wav2LipModel.OutputLength, Wav2LipModel.OutputLength);
            var got = rooms[b].Output;
            for (var i = 0; i < want.Length; i++) worst = Math.Max(worst, Math.Abs(got[i] - want[i]));
        }
        return new Wav2LipProbeResult(probe.Batch, worst, probe.Tolerance, host.ExecutionProvider);
    }

    private static float[] Floats(JsonElement root, string name, int count, string path)
    {
        var bytes = Convert.FromBase64String(root.GetProperty(name).GetString() ?? "");
        if (bytes.Length != count * sizeof(float))
            throw new InvalidDataException($"{path}: '{name}' holds {bytes.Length / sizeof(float)} floats; the batch needs {count}.");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Probe files hold little-endian floats.");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}

/// <summary>Probe inputs (planar, batch-major) and torch's output, as convert_wav2lip.py wrote them.</summary>
public sealed record Wav2LipProbe(int Batch, string Precision, double Tolerance, float[] Mel, float[] Face, float[] Output);

/// <summary>The largest |ONNX Runtime - torch| over every output value of every probe item.</summary>
public sealed record Wav2LipProbeResult(int Batch, double MaxAbsDifference, double Tolerance, string Provider)
{
    public bool Passed => MaxAbsDifference <= Tolerance;
}
