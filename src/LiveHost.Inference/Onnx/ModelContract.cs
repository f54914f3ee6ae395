namespace LiveHost.Inference.Onnx;

/// <summary>
/// What a model must look like for LiveHost to feed it: named float32 inputs and outputs whose first dimension is the
/// batch. <see cref="Bind"/> checks a loaded model against it and names every mismatch.
/// </summary>
public sealed class ModelContract(string name, IReadOnlyList<ModelTensor> inputs, IReadOnlyList<ModelTensor> outputs)
{
    public string Name { get; } = name;
    public IReadOnlyList<ModelTensor> Inputs { get; } = inputs;
    public IReadOnlyList<ModelTensor> Outputs { get; } = outputs;

    /// <summary>
    /// Checks the session's inputs and outputs; returns the model's actual tensor names in contract order and its fixed
    /// batch size (null when the batch dimension is dynamic). Throws <see cref="ModelContractException"/> listing
    /// everything that does not match.
    /// </summary>
    public ModelBinding Bind(IReadOnlyDictionary<string, ModelTensorInfo> modelInputs,
        IReadOnlyDictionary<string, ModelTensorInfo> modelOutputs, string modelPath)
    {
        var problems = new List<string>();
        int? fixedBatch = null;
        var inputNames = Match(Inputs, modelInputs, "input", problems, ref fixedBatch);
        var outputNames = Match(Outputs, modelOutputs, "output", problems, ref fixedBatch);
        foreach (var extra in modelInputs.Keys.Where(k => !Inputs.Any(t => t.Name == k)))
            problems.Add($"the model has an input '{extra}' the {Name} contract does not feed");
        if (problems.Count > 0)
        {
            throw new ModelContractException(
                $"Model '{modelPath}' does not fit the {Name} contract " +
                $"(inputs {string.Join(", ", Inputs.Select(t => t.Describe()))}; outputs {string.Join(", ", Outputs.Select(t => t.Describe()))}): " +
                string.Join("; ", problems) + ".");
        }
        return new ModelBinding(inputNames, outputNames, fixedBatch);
    }

    private string[] Match(IReadOnlyList<ModelTensor> wanted, IReadOnlyDictionary<string, ModelTensorInfo> actual,
        string kind, List<string> problems, ref int? fixedBatch)
    {
        var names = new string[wanted.Count];
        for (var i = 0; i < wanted.Count; i++)
        {
            var tensor = wanted[i];
            var name = tensor.Name;
            if (name is null)
            {
                if (actual.Count != 1)
                {
                    problems.Add($"expected exactly one {kind}, the model has {actual.Count} ({string.Join(", ", actual.Keys)})");
                    continue;
                }
                name = actual.Keys.First();
            }
            names[i] = name;
            if (!actual.TryGetValue(name, out var info))
            {
                problems.Add($"no {kind} named '{name}' (the model's {kind}s: {string.Join(", ", actual.Keys)})");
                continue;
            }
            if (!info.IsFloat32)
            {
                problems.Add($"{kind} '{name}' is {info.ElementType}, expected float32");
                continue;
            }
            var dims = info.Dimensions;
            var shapeText = "[" + string.Join(',', dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
            if (dims.Count != tensor.ItemShape.Count + 1)
            {
                problems.Add($"{kind} '{name}' has shape {shapeText}, expected {tensor.Describe()}");
                continue;
            }
            var mismatch = false;
            for (var d = 0; d < tensor.ItemShape.Count; d++)
            {
                // A dynamic non-batch dimension accepts the contract's size.
                if (dims[d + 1] >= 0 && dims[d + 1] != tensor.ItemShape[d]) mismatch = true;
            }
            if (mismatch)
            {
                problems.Add($"{kind} '{name}' has shape {shapeText}, expected {tensor.Describe()}");
                continue;
            }
            if (dims[0] > 0)
            {
                if (fixedBatch is { } b && b != dims[0])
                    problems.Add($"{kind} '{name}' has batch {dims[0]} but another tensor has batch {b}");
                fixedBatch = dims[0];
            }
        }
        return names;
    }
}

/// <summary>A model's tensor as onnxruntime describes it: element type and dimensions (-1 where symbolic).</summary>
public sealed record ModelTensorInfo(string ElementType, bool IsFloat32, IReadOnlyList<int> Dimensions);

/// <summary>The model's tensor names in contract order, and its batch size when that is fixed in the graph.</summary>
public sealed record ModelBinding(IReadOnlyList<string> InputNames, IReadOnlyList<string> OutputNames, int? FixedBatch);

/// <summary>A model file does not have the inputs and outputs its contract requires; the message names each mismatch.</summary>
public sealed class ModelContractException(string message) : Exception(message);
