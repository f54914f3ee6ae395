using Xunit;

namespace LiveHost.Rtmp.Tests;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Delays_double_from_min_to_max_within_the_jitter_band_and_reset_starts_over()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10), new Random(1));
        double[] nominal = [0.5, 1, 2, 4, 8, 10, 10, 10];
        foreach (var expected in nominal)
        {
            var delay = backoff.NextDelay().TotalSeconds;
            Assert.InRange(delay, expected * 0.75, Math.Min(expected * 1.25, 10));
        }
        backoff.Reset();
        Assert.InRange(backoff.NextDelay().TotalSeconds, 0.375, 0.625);
    }

    [Fact]
    public void Jitter_spreads_outputs_that_failed_together()
    {
        var delays = Enumerable.Range(0, 20)
            .Select(seed => new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(seed)).NextDelay())
            .Distinct()
            .Count();
        Assert.True(delays > 10);
    }
}
