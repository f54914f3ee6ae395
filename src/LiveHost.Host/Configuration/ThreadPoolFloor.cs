namespace LiveHost.Host.Configuration;

/// <summary>
/// Raises the thread pool's floor of ready worker threads (<c>Engine:MinThreadPoolThreads</c>). The pool is the
/// process's, so this is done once, in the composition root, and only ever raises: a floor already higher (another
/// host in the same process, the runtime's settings) stays.
/// </summary>
public static class ThreadPoolFloor
{
    /// <summary>Keeps at least <paramref name="workers"/> worker threads ready; 0 leaves the runtime's floor.</summary>
    public static void Raise(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        ThreadPool.GetMinThreads(out var currentWorkers, out var currentIo);
        if (workers <= currentWorkers) return;
        ThreadPool.SetMinThreads(workers, currentIo);
    }
}
