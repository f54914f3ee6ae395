namespace LiveHost.Inference.Onnx;

/// <summary>
/// One float32 tensor of a model contract: its name and its shape for ONE frame (the batch dimension left out).
/// A null name on an output means "the model's only output, whatever it is called".
/// </summary>
public sealed record ModelTensor(string? Name, IReadOnlyList<int> ItemShape)
{
    /// <summary>Floats in one frame's slice of the tensor.</summary>
    public int ItemLength { get; } = ItemShape.Aggregate(1, (a, d) => a * d);

    public string Describe() => $"{Name ?? "(single output)"} [B,{string.Join(',', ItemShape)}]";
}
