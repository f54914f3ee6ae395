namespace LiveHost.Engine.Rooms;

/// <summary>
/// Holds a room's loop thread until its next tick is due. On the system clock the loop's own thread sleeps to the
/// deadline (rounded up to the millisecond, so it never wakes early and spins): no timer callback goes through the
/// thread pool, so a pool starved by other work cannot delay a tick. On any other <see cref="TimeProvider"/> (tests that
/// drive a fake clock, which only moves when the test advances it) a timer of that provider, every half frame, wakes
/// the loop, which then counts the ticks owed from the clock itself.
/// </summary>
internal sealed class TickDeadlineWaiter : IDisposable
{
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim? _wakes;
    private readonly ITimer? _timer;

    public TickDeadlineWaiter(TimeProvider time, TimeSpan frameDuration)
    {
        _time = time;
        if (ReferenceEquals(time, TimeProvider.System)) return;
        _wakes = new SemaphoreSlim(0);
        var half = frameDuration / 2;
        _timer = time.CreateTimer(static wakes => ((SemaphoreSlim)wakes!).Release(), _wakes, half, half);
    }

    /// <summary>
    /// Returns once the clock has reached <paramref name="deadline"/> (a timestamp of the provider), or on a fake clock
    /// at its next wake-up; throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public void WaitUntil(long deadline, CancellationToken cancellationToken)
    {
        if (_wakes is not null)
        {
            _wakes.Wait(cancellationToken);
            return;
        }
        while (true)
        {
            var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero) return;
            if (cancellationToken.WaitHandle.WaitOne((int)Math.Ceiling(remaining.TotalMilliseconds))) cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _wakes?.Dispose();
    }
}
