namespace LiveHost.TestSupport;

/// <summary>
/// Runs each task at once on the thread that queues it. For tests that drive a room's clock by hand: work the host
/// gives the thread pool (reading an audio clip) is done before the call that started it returns, so every tick sees
/// it, as a real-time clock that leaves the pool 40 ms per tick would.
/// </summary>
public sealed class InlineTaskScheduler : TaskScheduler
{
    protected override void QueueTask(Task task) => TryExecuteTask(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => [];
}
