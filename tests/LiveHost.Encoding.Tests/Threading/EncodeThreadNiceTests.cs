using LiveHost.Encoding.Tests.Fixtures;
using LiveHost.Encoding.Threading;
using LiveHost.Media;

namespace LiveHost.Encoding.Tests.Threading;

/// <summary>
/// A room's encode thread runs at <see cref="EncoderOptions.EncodeThreadNice"/>, below the room clock that feeds it,
/// so that a full machine runs the tick first; the nice value is read on the encode thread itself, from the kernel
/// (Linux, where the suite runs).
/// </summary>
public sealed class EncodeThreadNiceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(5)]
    [InlineData(11)]
    public async Task The_encode_thread_runs_at_the_configured_nice_while_the_caller_keeps_its_own(int nice)
    {
        var callerBefore = ThreadNiceness.CurrentThreadNice();
        await using var harness = new EncoderHarness(output, new MediaFormat(320, 240, 25), new EncoderOptions { EncodeThreadNice = nice });
        await harness.StartAsync();
        var seen = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Encoder.VideoLatency.Recorded += _ => seen.TrySetResult(ThreadNiceness.CurrentThreadNice());

        Assert.True(harness.WriteOne());

        Assert.Equal(nice, await seen.Task.WaitAsync(Patience));
        Assert.Equal(callerBefore, ThreadNiceness.CurrentThreadNice());
    }

    [Fact]
    public void A_nice_out_of_range_is_refused_by_the_options()
    {
        Assert.Contains("nice", new EncoderOptions { EncodeThreadNice = 20 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("nice", new EncoderOptions { EncodeThreadNice = -1 }.Validate(), StringComparison.Ordinal);
        Assert.Null(new EncoderOptions().Validate());
    }
}
