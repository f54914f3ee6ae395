using LiveHost.Inference.Audio;
using LiveHost.Inference.Batching;
using LiveHost.Inference.Onnx;

namespace LiveHost.Inference.Models;

/// <summary>
/// A Wav2Lip-contract model: "mel" [B,1,80,16] and "face" [B,6,96,96] (masked target RGB with the lower half zeroed,
/// then reference RGB, 0..1) to one output [B,3,96,96] (0..1). The model file is checked at load; a mismatch throws
/// <see cref="ModelContractException"/> naming it. All rooms share the session and the batching runner.
/// </summary>
public sealed class Wav2LipModel
{
    public const int FaceSize = 96;
    public const int MelLength = MelParameters.WindowLength;
    public const int FaceLength = 6 * FaceSize * FaceSize;
    public const int OutputLength = 3 * FaceSize * FaceSize;

    public static readonly ModelContract Contract = new("Wav2Lip",
        [new ModelTensor("mel", [1, MelParameters.Bands, MelParameters.WindowColumns]), new ModelTensor("face", [6, FaceSize, FaceSize])],
        [new ModelTensor(null, [3, FaceSize, FaceSize])]);

    private readonly BatchedModelRunner _runner;

    public Wav2LipModel(OnnxModelHost host, string modelPath) => _runner = host.GetRunner(modelPath, Contract);

    public BatchedModelRunner Runner => _runner;

    /// <summary>A room's handle: fill <see cref="Wav2LipRoom.Mel"/> and <see cref="Wav2LipRoom.Face"/>, run, read the output.</summary>
    public Wav2LipRoom CreateRoom() => new(_runner.CreateClient());
}

/// <summary>One room's Wav2Lip frame buffers (planar CHW float32). One frame in flight at a time.</summary>
public sealed class Wav2LipRoom(BatchedModelClient client)
{
    /// <summary>The shared runner this room submits to (for metrics).</summary>
    public BatchedModelRunner Runner => client.Runner;

    /// <summary>[1, 80, 16]: the mel window (MelWindowAlignment.StartsAtFrame).</summary>
    public Span<float> Mel => client.Input(0);

    /// <summary>[6, 96, 96]: masked target RGB (lower half zero) then reference RGB, 0..1.</summary>
    public Span<float> Face => client.Input(1);

    /// <summary>[3, 96, 96]: the generated face, 0..1; valid until the next run.</summary>
    public ReadOnlySpan<float> Output => client.Output(0);

    public ValueTask RunAsync(CancellationToken cancellationToken = default) => client.RunAsync(cancellationToken);
}
