using System.Globalization;
using LiveHost.Inference;
using LiveHost.Inference.Models;
using LiveHost.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace VisemeDataset;

/// <summary>
/// <c>check-wav2lip MODEL.onnx PROBE.json</c>: runs a model written by convert_wav2lip.py through the server's own
/// Wav2Lip path on the probe inputs stored beside it and compares with torch's output (<see cref="Wav2LipProbeCheck"/>).
/// </summary>
public static class Wav2LipCheck
{
    /// <returns>0 within the probe's tolerance, 1 beyond it, 2 when the model or probe cannot be used.</returns>
    public static async Task<int> RunAsync(string modelPath, string probePath)
    {
        try
        {
            var probe = Wav2LipProbeCheck.ReadProbe(probePath);
            using var host = new OnnxModelHost(Options.Create(new InferenceOptions { PreferGpu = false }), NullLoggerFactory.Instance);
            var result = await Wav2LipProbeCheck.RunAsync(host, modelPath, probe);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{modelPath} ({probe.Precision}): torch vs onnxruntime ({result.Provider}, LiveHost Wav2LipModel), {result.Batch} probe items: max abs diff {result.MaxAbsDifference:E2} ({(result.Passed ? "ok" : "MISMATCH")}, tolerance {result.Tolerance:G2})"));
            return result.Passed ? 0 : 1;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ModelContractException
            or System.Text.Json.JsonException or KeyNotFoundException or FormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            Console.Error.WriteLine($"check-wav2lip: {e.Message}");
            return 2;
        }
    }
}
