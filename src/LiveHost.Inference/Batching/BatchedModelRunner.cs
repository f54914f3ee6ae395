using LiveHost.Inference.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace LiveHost.Inference.Batching;

/// <summary>
/// Runs one model for many rooms: each room submits one frame through its <see cref="BatchedModelClient"/> and awaits
/// the result; a dedicated thread gathers frames of different rooms into one batch and runs it when
/// <see cref="MaxBatch"/> frames wait or <see cref="InferenceOptions.BatchWindowMs"/> after the first arrived.
/// A client has at most one frame in flight, so a batch never holds two frames of one room.
/// </summary>
/// <remarks>
/// Input and output memory is allocated once: one pinned array per tensor sized for the largest batch, and for every
/// batch size an OrtValue over its prefix and an OrtIoBinding, so the steady path copies frames in and out and calls
/// RunWithBinding without managed allocation. A model whose graph fixes the batch size always runs at that size.
/// </remarks>
public sealed class BatchedModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ILogger<BatchedModelRunner> _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int? _fixedBatch;
    private readonly float[][] _inputs;
    private readonly float[][] _outputs;
    private readonly List<OrtValue> _values = [];
    private readonly OrtIoBinding?[] _bindings;
    private readonly RunOptions _runOptions = new();
    private readonly object _gate = new(); // a Monitor, not a Lock: the loop waits on it
    private readonly Queue<BatchedModelClient> _pending = new();
    private readonly BatchedModelClient[] _batch;
    private readonly Thread _thread;
    private bool _stopping;
    private long _batches;
    private long _frames;
    private long _runnerThreadAllocated;

    internal BatchedModelRunner(InferenceSession session, ModelContract contract, ModelBinding binding,
        InferenceOptions options, ILogger<BatchedModelRunner> logger, TimeProvider time)
    {
        _session = session;
        Contract = contract;
        _logger = logger;
        _time = time;
        _window = TimeSpan.FromMilliseconds(options.BatchWindowMs);
        _fixedBatch = binding.FixedBatch;
        MaxBatch = binding.FixedBatch ?? options.MaxBatch;
        _batch = new BatchedModelClient[MaxBatch];
        _inputs = contract.Inputs.Select(t => GC.AllocateArray<float>(MaxBatch * t.ItemLength, pinned: true)).ToArray();
        _outputs = contract.Outputs.Select(t => GC.AllocateArray<float>(MaxBatch * t.ItemLength, pinned: true)).ToArray();
        _bindings = new OrtIoBinding?[MaxBatch + 1];
        for (var size = 1; size <= MaxBatch; size++)
        {
            if (_fixedBatch is { } f && size != f) continue;
            var ioBinding = _session.CreateIoBinding();
            for (var i = 0; i < contract.Inputs.Count; i++)
                ioBinding.BindInput(binding.InputNames[i], Tensor(_inputs[i], contract.Inputs[i], size));
            for (var o = 0; o < contract.Outputs.Count; o++)
                ioBinding.BindOutput(binding.OutputNames[o], Tensor(_outputs[o], contract.Outputs[o], size));
            _bindings[size] = ioBinding;
        }
        _thread = new Thread(Loop) { IsBackground = true, Name = $"onnx-{contract.Name}" };
        _thread.Start();
        OnnxModelHostLog.RunnerStarted(logger, contract.Name, MaxBatch,
            _fixedBatch is null ? "" : " (batch fixed by the model)", options.BatchWindowMs);
    }

    public ModelContract Contract { get; }

    /// <summary>Most frames in one model call (the model's own batch size when its graph fixes one).</summary>
    public int MaxBatch { get; }

    /// <summary>Model calls so far (for /metrics); <see cref="FramesRun"/> / <see cref="BatchesRun"/> is the mean batch.</summary>
    public long BatchesRun => Interlocked.Read(ref _batches);

    public long FramesRun => Interlocked.Read(ref _frames);

    /// <summary>Bytes the runner thread has allocated so far, as of its last batch (for the allocation tests).</summary>
    internal long RunnerThreadAllocatedBytes => Volatile.Read(ref _runnerThreadAllocated);

    /// <summary>A client for one room: its own input and output buffers, one frame in flight at a time.</summary>
    public BatchedModelClient CreateClient() => new(this, Contract);

    internal void Submit(BatchedModelClient client)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            client.QueuedAt = _time.GetTimestamp();
            _pending.Enqueue(client);
            if (_pending.Count == 1 || _pending.Count >= MaxBatch) Monitor.PulseAll(_gate);
        }
    }

    private void Loop()
    {
        while (true)
        {
            int count;
            lock (_gate)
            {
                while (_pending.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return;
                // Wait for more rooms until the batch is full or the oldest frame has waited the window out.
                while (_pending.Count < MaxBatch && !_stopping)
                {
                    var remaining = _window - _time.GetElapsedTime(_pending.Peek().QueuedAt);
                    if (remaining <= TimeSpan.Zero) break;
                    Monitor.Wait(_gate, remaining);
                }
                if (_stopping) return;
                count = Math.Min(_pending.Count, MaxBatch);
                for (var k = 0; k < count; k++) _batch[k] = _pending.Dequeue();
            }
            RunBatch(count);
            Volatile.Write(ref _runnerThreadAllocated, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    private void RunBatch(int count)
    {
        var size = _fixedBatch ?? count;
        Exception? failure = null;
        try
        {
            for (var k = 0; k < count; k++)
            {
                for (var i = 0; i < _inputs.Length; i++)
                {
                    var length = Contract.Inputs[i].ItemLength;
                    _batch[k].InputBuffer(i).CopyTo(_inputs[i].AsSpan(k * length, length));
                }
            }
            _session.RunWithBinding(_runOptions, _bindings[size]!);
            for (var k = 0; k < count; k++)
            {
                for (var o = 0; o < _outputs.Length; o++)
                {
                    var length = Contract.Outputs[o].ItemLength;
                    _outputs[o].AsSpan(k * length, length).CopyTo(_batch[k].OutputBuffer(o));
                }
            }
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _frames, count);
        }
        catch (OnnxRuntimeException e)
        {
            OnnxModelHostLog.BatchFailed(_logger, e, count, Contract.Name);
            failure = e;
        }
        for (var k = 0; k < count; k++)
        {
            var client = _batch[k];
            _batch[k] = null!;
            client.Complete(failure);
        }
    }

    private OrtValue Tensor(float[] buffer, ModelTensor tensor, int batch)
    {
        var shape = new long[tensor.ItemShape.Count + 1];
        shape[0] = batch;
        for (var d = 0; d < tensor.ItemShape.Count; d++) shape[d + 1] = tensor.ItemShape[d];
        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            buffer.AsMemory(0, batch * tensor.ItemLength), shape);
        _values.Add(value);
        return value;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        lock (_gate)
        {
            while (_pending.Count > 0) _pending.Dequeue().Complete(new ObjectDisposedException(nameof(BatchedModelRunner)));
        }
        foreach (var b in _bindings) b?.Dispose();
        foreach (var v in _values) v.Dispose();
        _runOptions.Dispose();
    }
}
