namespace LiveHost.Rtmp;

/// <summary>
/// Reconnect delays: min, 2*min, 4*min ... capped at max, each scaled by a random factor in [0.75, 1.25] (never
/// above max) so that outputs which failed together do not retry in lockstep.
/// </summary>
public sealed class ExponentialBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private int _failures;

    public ExponentialBackoff(TimeSpan min, TimeSpan max, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
        _random = random;
    }

    public int Failures => _failures;

    /// <summary>The delay before the next attempt; each call counts one more failure.</summary>
    public TimeSpan NextDelay()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var nominal = Math.Min(_max.TotalMilliseconds, _min.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = nominal * (0.75 + (0.5 * _random.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _max.TotalMilliseconds));
    }

    public void Reset() => _failures = 0;
}
