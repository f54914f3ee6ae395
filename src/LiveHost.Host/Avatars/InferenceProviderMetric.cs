using LiveHost.ControlPlane;
using LiveHost.Inference.Onnx;

namespace LiveHost.Host.Avatars;

/// <summary>
/// Exports which execution provider the ONNX models run on (<c>livehost_inference_provider{provider="CPU"} 1</c>),
/// read at scrape time because the host falls back from CUDA to the CPU when the first session cannot start on it.
/// </summary>
public sealed class InferenceProviderMetric(LiveHostMetrics metrics, OnnxModelHost models) : IHostedService
{
    private static readonly string[] Providers = [OnnxModelHost.Cpu, OnnxModelHost.Cuda];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.SetInferenceProvider(models.ExecutionProvider, Providers);
        metrics.Registry.AddBeforeCollectCallback(() => metrics.SetInferenceProvider(models.ExecutionProvider, Providers));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
