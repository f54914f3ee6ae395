namespace LiveHost.WebRtc.Transport;

/// <summary>
/// The <see cref="DatagramBatch"/>es of one <see cref="UdpMux"/>. A viewer's send loop rents one for a pass over its
/// queue and returns it when the pass is sent, so the pool holds as many batches as loops ever ran at once (about the
/// thread pool's size), not one per viewer. The pool frees the batches it holds on dispose, and a batch returned after
/// that when it comes back, so a loop still sending while the port closes never writes into freed memory.
/// </summary>
public sealed class DatagramBatchPool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Stack<DatagramBatch> _free = new();
    private int _created;
    private bool _disposed;

    /// <summary>Batches made so far (the most ever rented at once).</summary>
    public int Created => Volatile.Read(ref _created);

    public DatagramBatch Rent()
    {
        lock (_gate)
        {
            if (_free.TryPop(out var batch)) return batch;
        }
        Interlocked.Increment(ref _created);
        return new DatagramBatch();
    }

    public void Return(DatagramBatch batch)
    {
        batch.Clear();
        lock (_gate)
        {
            if (!_disposed)
            {
                _free.Push(batch);
                return;
            }
        }
        batch.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_free.TryPop(out var batch)) batch.Dispose();
        }
    }
}
