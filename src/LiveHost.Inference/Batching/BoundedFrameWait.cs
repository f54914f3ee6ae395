namespace LiveHost.Inference.Batching;

/// <summary>
/// The one frame a room has in flight on a <see cref="BatchedModelRunner"/>, waited for with a bound. Render is
/// synchronous and the runner is not: the caller submits a frame (<see cref="Track"/>) and waits for it on a signalled
/// wait (no polling, no thread parked beyond the bound). A run that misses the bound stays tracked and keeps its
/// registration; its completion sets the event, so the next frame's wait finds it finished (or waits for it first),
/// and one run at most is ever in flight, so the room's buffers are never written twice at once.
/// <para>One instance per room; not thread-safe. No allocation per frame.</para>
/// </summary>
public sealed class BoundedFrameWait : IDisposable
{
    /// <summary>How long <see cref="Dispose"/> lets a run still in flight finish writing into the room's buffers.</summary>
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(2);

    private readonly ManualResetEventSlim _done = new(false);
    private readonly Action _signal;
    private ValueTask _inFlight;
    private bool _continuationRegistered;
    private bool _disposed;

    public BoundedFrameWait() => _signal = () => _done.Set();

    /// <summary>True from <see cref="Track"/> until a <see cref="TryComplete"/> finds the run finished.</summary>
    public bool HasInFlight { get; private set; }

    /// <summary>Tracks a run just submitted; it is consumed exactly once, by a later <see cref="TryComplete"/>.</summary>
    public void Track(ValueTask run)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (HasInFlight) throw new InvalidOperationException("A frame is already in flight; wait for it before submitting the next.");
        _inFlight = run;
        HasInFlight = true;
    }

    /// <summary>
    /// Waits at most <paramref name="bound"/> for the run in flight. True when none is in flight any more: it finished
    /// (or none was tracked); <paramref name="failure"/> is what it threw, if it did. False when it is still running (late).
    /// </summary>
    public bool TryComplete(TimeSpan bound, out Exception? failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        failure = null;
        if (!HasInFlight) return true;
        if (!_continuationRegistered && !_inFlight.IsCompleted)
        {
            _done.Reset();
            _inFlight.GetAwaiter().UnsafeOnCompleted(_signal);
            _continuationRegistered = true;
        }
        if (_continuationRegistered && !_done.Wait(bound)) return false;
        _continuationRegistered = false;
        HasInFlight = false;
        // Complete (signalled above): AsTask consumes the ValueTask's outcome without blocking, and tells how it ended.
        var finished = _inFlight.AsTask();
        _inFlight = default;
        if (finished.IsFaulted) failure = finished.Exception!.InnerExceptions.Count == 1 ? finished.Exception.InnerException : finished.Exception;
        else if (finished.IsCanceled) failure = new TaskCanceledException(finished);
        return true;
    }

    /// <summary>Lets a run still in flight finish (briefly) before the caller frees the buffers it writes into.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (HasInFlight && _continuationRegistered) _done.Wait(DisposeWait);
        _done.Dispose();
    }
}
