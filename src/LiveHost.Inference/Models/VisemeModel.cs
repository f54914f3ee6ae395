using System.Runtime.CompilerServices;
using LiveHost.Inference.Audio;
using LiveHost.Inference.Batching;
using LiveHost.Inference.Onnx;
using LiveHost.Speech;

namespace LiveHost.Inference.Models;

/// <summary>
/// The viseme classifier: "mel" [B,1,80,16] (centred on the frame, MelWindowAlignment.CenteredOnFrame) to "logits"
/// [B,15] in <see cref="Viseme"/> order. Checked at load; shared by all rooms.
/// </summary>
public sealed class VisemeModel
{
    public const int ClassCount = 15;

    public static readonly ModelContract Contract = new("Viseme",
        [new ModelTensor("mel", [1, MelParameters.Bands, MelParameters.WindowColumns])],
        [new ModelTensor("logits", [ClassCount])]);

    private readonly BatchedModelRunner _runner;

    public VisemeModel(OnnxModelHost host, string modelPath)
    {
        if (Enum.GetValues<Viseme>().Length != ClassCount)
            throw new InvalidOperationException($"The Viseme enum has {Enum.GetValues<Viseme>().Length} values; the model gives {ClassCount}.");
        _runner = host.GetRunner(modelPath, Contract);
    }

    public BatchedModelRunner Runner => _runner;

    public VisemeRoom CreateRoom() => new(_runner.CreateClient());

    /// <summary>
    /// Runs the model once on silence, waiting up to <paramref name="bound"/>: a session's first run plans and allocates
    /// (tens of ms), which belongs at start, not on a live frame. Synchronous (callers build presenters synchronously),
    /// so it waits on a signal (<see cref="BoundedFrameWait"/>), never on the task.
    /// </summary>
    /// <exception cref="TimeoutException">The run took longer than <paramref name="bound"/>.</exception>
    public void WarmUp(TimeSpan bound)
    {
        var room = CreateRoom();
        room.Mel.Fill(MelParameters.Floor);
        using var run = new BoundedFrameWait();
        run.Track(room.RunAsync());
        if (!run.TryComplete(bound, out var failure)) throw new TimeoutException($"the viseme model's first run took longer than {bound.TotalSeconds:0.#} s");
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}

/// <summary>
/// One room's viseme classifier: fill <see cref="Mel"/>, then either await <see cref="RunAsync"/> and call
/// <see cref="ReadPrediction"/> (no allocation per frame) or await <see cref="PredictAsync"/> (shorter; its pooled
/// async box still misses the pool now and then when continuations hop threads, tens of bytes a call on average).
/// </summary>
public sealed class VisemeRoom
{
    private readonly BatchedModelClient _client;
    private readonly float[] _probabilities = new float[VisemeModel.ClassCount];

    internal VisemeRoom(BatchedModelClient client) => _client = client;

    /// <summary>[1, 80, 16]: the mel window centred on the frame.</summary>
    public Span<float> Mel => _client.Input(0);

    /// <summary>Softmax of the last logits, indexed by (int)Viseme; valid until the next prediction.</summary>
    public ReadOnlySpan<float> Probabilities => _probabilities;

    /// <summary>The raw logits of the last run.</summary>
    public ReadOnlySpan<float> Logits => _client.Output(0);

    /// <summary>Runs the model on <see cref="Mel"/>; then <see cref="ReadPrediction"/> gives the result.</summary>
    public ValueTask RunAsync(CancellationToken cancellationToken = default) => _client.RunAsync(cancellationToken);

    /// <summary>After <see cref="RunAsync"/>: fills <see cref="Probabilities"/> and returns the most likely viseme.</summary>
    public Viseme ReadPrediction() => (Viseme)Softmax(_client.Output(0), _probabilities);

    /// <summary>Runs the model on <see cref="Mel"/> and returns the most likely viseme.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Viseme> PredictAsync(CancellationToken cancellationToken = default)
    {
        await _client.RunAsync(cancellationToken);
        return ReadPrediction();
    }

    /// <summary>Writes softmax(<paramref name="logits"/>) into <paramref name="probabilities"/>; returns the arg-max.</summary>
    public static int Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        var max = logits[best];
        var sum = 0f;
        for (var i = 0; i < logits.Length; i++) sum += probabilities[i] = MathF.Exp(logits[i] - max);
        for (var i = 0; i < logits.Length; i++) probabilities[i] /= sum;
        return best;
    }
}
