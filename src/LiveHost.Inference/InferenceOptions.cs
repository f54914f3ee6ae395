namespace LiveHost.Inference;

/// <summary>Configuration section "Inference": how ONNX models run and how frames of different rooms are batched.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>Use CUDA when the CUDA package is shipped and a GPU is usable; otherwise (and always in CI) the CPU.</summary>
    public bool PreferGpu { get; set; } = true;

    /// <summary>CUDA device ordinal.</summary>
    public int DeviceId { get; set; }

    /// <summary>Most frames (each from a different room) run in one model call.</summary>
    public int MaxBatch { get; set; } = 8;

    /// <summary>How long the first waiting frame may wait for others to join its batch. 0 runs whatever is waiting.</summary>
    public int BatchWindowMs { get; set; } = 4;

    /// <summary>onnxruntime intra-op threads per session; 0 leaves onnxruntime's default (one per core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>What is wrong with these options, one message each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (DeviceId < 0) errors.Add($"Inference:DeviceId must be 0 or more; got {DeviceId}.");
        if (MaxBatch is < 1 or > 256) errors.Add($"Inference:MaxBatch must be 1..256; got {MaxBatch}.");
        if (BatchWindowMs is < 0 or > 1000) errors.Add($"Inference:BatchWindowMs must be 0..1000; got {BatchWindowMs}.");
        if (IntraOpThreads < 0) errors.Add($"Inference:IntraOpThreads must be 0 (default) or more; got {IntraOpThreads}.");
        return errors;
    }
}
