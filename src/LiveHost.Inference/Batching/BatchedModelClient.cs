using System.Threading.Tasks.Sources;
using LiveHost.Inference.Onnx;

namespace LiveHost.Inference.Batching;

/// <summary>
/// One room's handle on a <see cref="BatchedModelRunner"/>: write the frame into <see cref="Input"/>, await
/// <see cref="RunAsync"/>, read <see cref="Output"/> (valid until the next run). The await is a reusable
/// IValueTaskSource, so a frame costs no allocation. One frame in flight at a time; not for concurrent use.
/// </summary>
public sealed class BatchedModelClient : IValueTaskSource
{
    private readonly BatchedModelRunner _runner;
    private readonly float[][] _inputs;
    private readonly float[][] _outputs;
    private ManualResetValueTaskSourceCore<bool> _core;
    private int _inFlight;

    internal BatchedModelClient(BatchedModelRunner runner, ModelContract contract)
    {
        _runner = runner;
        _inputs = contract.Inputs.Select(t => new float[t.ItemLength]).ToArray();
        _outputs = contract.Outputs.Select(t => new float[t.ItemLength]).ToArray();
        // The runner thread completes the await; room code must never run on it.
        _core.RunContinuationsAsynchronously = true;
    }

    internal long QueuedAt { get; set; }

    public BatchedModelRunner Runner => _runner;

    /// <summary>This room's frame for contract input <paramref name="index"/> (one batch item, row-major).</summary>
    public Span<float> Input(int index) => _inputs[index];

    /// <summary>The last result for contract output <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Output(int index) => _outputs[index];

    /// <summary>Submits the frame in the inputs and completes when its outputs are ready.</summary>
    /// <remarks>The token is checked before submitting; a queued frame finishes with its batch (a few ms).</remarks>
    public ValueTask RunAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        if (Interlocked.Exchange(ref _inFlight, 1) != 0)
            throw new InvalidOperationException("This room already has a frame in flight; await it before submitting the next.");
        _core.Reset();
        try
        {
            _runner.Submit(this);
        }
        catch
        {
            Volatile.Write(ref _inFlight, 0);
            throw;
        }
        return new ValueTask(this, _core.Version);
    }

    internal Span<float> InputBuffer(int index) => _inputs[index];

    internal Span<float> OutputBuffer(int index) => _outputs[index];

    internal void Complete(Exception? failure)
    {
        Volatile.Write(ref _inFlight, 0);
        if (failure is null) _core.SetResult(true);
        else _core.SetException(failure);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
