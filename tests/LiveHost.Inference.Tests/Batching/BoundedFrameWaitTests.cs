using LiveHost.Inference.Batching;

namespace LiveHost.Inference.Tests.Batching;

public sealed class BoundedFrameWaitTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void A_run_that_misses_the_bound_is_late_and_is_taken_by_the_next_wait_once_it_finishes()
    {
        using var wait = new BoundedFrameWait();
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        wait.Track(new ValueTask(run.Task));

        Assert.False(wait.TryComplete(Short, out _));
        Assert.True(wait.HasInFlight);
        Assert.Throws<InvalidOperationException>(() => wait.Track(ValueTask.CompletedTask));

        run.SetResult();
        Assert.True(wait.TryComplete(TimeSpan.FromSeconds(5), out var failure));
        Assert.Null(failure);
        Assert.False(wait.HasInFlight);
    }

    [Fact]
    public void A_run_that_finished_before_the_wait_completes_without_waiting()
    {
        using var wait = new BoundedFrameWait();
        wait.Track(ValueTask.CompletedTask);

        Assert.True(wait.TryComplete(TimeSpan.Zero, out var failure));
        Assert.Null(failure);
        Assert.True(wait.TryComplete(TimeSpan.Zero, out _));
    }

    [Fact]
    public void A_failed_run_completes_and_hands_back_its_exception()
    {
        using var wait = new BoundedFrameWait();
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        wait.Track(new ValueTask(run.Task));
        Assert.False(wait.TryComplete(Short, out _));

        run.SetException(new InvalidDataException("model failed"));
        Assert.True(wait.TryComplete(TimeSpan.FromSeconds(5), out var failure));
        Assert.IsType<InvalidDataException>(failure);
        Assert.False(wait.HasInFlight);
    }
}
