using LiveHost.Encoding.Ffmpeg;

namespace LiveHost.Encoding.Tests;

public sealed class RollingStatsTests
{
    [Fact]
    public void LatencySnapshotReportsMedianP95AndMaxOfTheWindowOnly()
    {
        var stats = new EncodeLatencyStats(capacity: 100);
        for (var i = 0; i < 50; i++) stats.Record(TimeSpan.FromSeconds(10)); // pushed out of the window below
        for (var i = 1; i <= 100; i++) stats.Record(TimeSpan.FromMilliseconds(i));

        var snapshot = stats.Snapshot();
        Assert.Equal(100, snapshot.Samples);
        Assert.Equal(TimeSpan.FromMilliseconds(50), snapshot.Median);
        Assert.Equal(TimeSpan.FromMilliseconds(95), snapshot.P95);
        Assert.Equal(TimeSpan.FromMilliseconds(100), snapshot.Max);
        Assert.Equal(150, stats.TotalRecorded);
        Assert.Equal(default, new EncodeLatencyStats(4).Snapshot());
    }

    [Fact]
    public void StderrTailKeepsOnlyTheLastLines()
    {
        var tail = new StderrTail(3);
        foreach (var line in new[] { "a", "b", "c", "d", "e" }) tail.Add(line);
        Assert.Equal(["c", "d", "e"], tail.Snapshot());
    }
}
