using FFMpegCore;
using LiveHost.Encoding.Ffmpeg;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Encoding.Tests;

/// <summary>When a dead ffmpeg is started again: at once after a long run, after the rest of the backoff after a short one.</summary>
public sealed class FfmpegSupervisorTests
{
    [Fact]
    public async Task A_process_killed_after_running_longer_than_the_backoff_is_replaced_at_once_and_one_that_dies_on_start_waits_out_the_backoff()
    {
        var time = new FakeTimeProvider();
        var starts = new List<DateTimeOffset>();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restarts = 0;
        Task<FFMpegResult> RunOnce(StderrTail stderr, CancellationTokenSource killThisRun)
        {
            starts.Add(time.GetUtcNow());
            switch (starts.Count)
            {
                case 1:
                    time.Advance(TimeSpan.FromSeconds(3)); // ran 3 s, then SIGKILL
                    return Task.FromException<FFMpegResult>(new IOException("killed after 3 s"));
                case 2:
                    time.Advance(TimeSpan.FromMilliseconds(300)); // died 300 ms after its start
                    return Task.FromException<FFMpegResult>(new IOException("died on start"));
                default:
                    third.TrySetResult();
                    return Task.Delay(Timeout.Infinite, killThisRun.Token).ContinueWith<FFMpegResult>(
                        _ => throw new OperationCanceledException(), TaskScheduler.Default);
            }
        }
        var options = new EncoderOptions { RestartBackoff = TimeSpan.FromSeconds(1) };
        var supervisor = new FfmpegSupervisor("audio", RunOnce, () => restarts++, options, NullLogger.Instance, time);
        using var stopping = new CancellationTokenSource();
        using var kill = new CancellationTokenSource();

        // Everything up to the first real wait runs synchronously: two starts, the second right when the first died.
        var run = supervisor.RunAsync(stopping.Token, kill.Token);
        Assert.Equal(2, starts.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), starts[1] - starts[0]);

        // The second ran 300 ms: the third start waits the remaining 700 ms of the backoff, not a moment less.
        time.Advance(TimeSpan.FromMilliseconds(699));
        Assert.False(third.Task.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await third.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(1), starts[2] - starts[1]);
        Assert.Equal(2, restarts);

        await kill.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, starts.Count);
    }
}
