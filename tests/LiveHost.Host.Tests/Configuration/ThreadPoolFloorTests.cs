using LiveHost.Engine.Options;
using LiveHost.Host.Configuration;

namespace LiveHost.Host.Tests.Configuration;

/// <summary>
/// <c>Engine:MinThreadPoolThreads</c> raises the process's thread-pool floor and never lowers it (the pool is the
/// process's: this test raises it for the test process too, which only ever helps the other tests).
/// </summary>
public sealed class ThreadPoolFloorTests
{
    [Fact]
    public void Raising_sets_the_floor_and_a_lower_value_or_zero_leaves_it()
    {
        ThreadPool.GetMinThreads(out var before, out var ioBefore);
        var raised = Math.Min(before + 7, 1024);

        ThreadPoolFloor.Raise(raised);
        ThreadPool.GetMinThreads(out var workers, out var io);
        Assert.Equal(raised, workers);
        Assert.Equal(ioBefore, io);

        ThreadPoolFloor.Raise(1);
        ThreadPoolFloor.Raise(0);
        ThreadPool.GetMinThreads(out workers, out _);
        Assert.Equal(raised, workers);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1025)]
    public void A_floor_out_of_range_is_refused_by_the_engine_options(int workers)
    {
        Assert.Contains(new EngineOptions { MinThreadPoolThreads = workers }.Validate(), e => e.Contains("Engine:MinThreadPoolThreads", StringComparison.Ordinal));
    }
}
