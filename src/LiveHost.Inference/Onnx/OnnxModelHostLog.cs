using Microsoft.Extensions.Logging;

namespace LiveHost.Inference.Onnx;

internal static partial class OnnxModelHostLog
{
    [LoggerMessage(1, LogLevel.Information, "ONNX inference runs on {Provider} (available providers: {Available}; PreferGpu {PreferGpu})")]
    public static partial void ProviderChosen(ILogger logger, string provider, string available, bool preferGpu);

    [LoggerMessage(2, LogLevel.Warning, "CUDA is listed by onnxruntime but could not be used ({Reason}); falling back to CPU")]
    public static partial void CudaUnusable(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Information, "Loaded model {Path} on {Provider}: inputs {Inputs}; outputs {Outputs}")]
    public static partial void ModelLoaded(ILogger logger, string path, string provider, string inputs, string outputs);

    [LoggerMessage(4, LogLevel.Error, "Batch of {Count} frames for {Contract} failed")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int count, string contract);

    [LoggerMessage(5, LogLevel.Information, "{Contract} runner: batches up to {MaxBatch} frames{Fixed}, window {WindowMs} ms")]
    public static partial void RunnerStarted(ILogger logger, string contract, int maxBatch, string @fixed, int windowMs);
}
