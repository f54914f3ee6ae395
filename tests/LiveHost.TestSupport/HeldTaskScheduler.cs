namespace LiveHost.TestSupport;

/// <summary>
/// Keeps every task queued until the test calls <see cref="RunAll"/>: shows what a caller does while its background
/// work has not run yet (a room's tick while its audio clip is still unread).
/// </summary>
public sealed class HeldTaskScheduler : TaskScheduler
{
    private readonly Queue<Task> _held = new();
    private readonly Lock _gate = new();

    public int Held
    {
        get { lock (_gate) return _held.Count; }
    }

    /// <summary>Runs every held task on the calling thread, in the order they were queued.</summary>
    public void RunAll()
    {
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (!_held.TryDequeue(out next!)) return;
            }
            TryExecuteTask(next);
        }
    }

    protected override void QueueTask(Task task)
    {
        lock (_gate) _held.Enqueue(task);
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate) return _held.ToArray();
    }
}
