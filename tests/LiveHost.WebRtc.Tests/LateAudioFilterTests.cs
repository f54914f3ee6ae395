using LiveHost.WebRtc.Rooms;

namespace LiveHost.WebRtc.Tests;

/// <summary>WebRtc:DropAudioLateMilliseconds: audio a stall made late is dropped, not sent in a burst; the schedule itself may move.</summary>
public sealed class LateAudioFilterTests
{
    private const long Frequency = 1_000_000; // microsecond timestamps
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(120);

    private static long Ms(double ms) => (long)(ms * Frequency / 1000);

    /// <summary>Packet n (20 ms each) is due at n*20 ms + lead and read at n*20 ms + the given delay (ms).</summary>
    private static bool Read(LateAudioFilter filter, int n, double delayMs) => filter.IsLate(Ms((n * 20) + 80), Ms((n * 20) + delayMs), Frequency);

    [Fact]
    public void Packets_on_schedule_with_ordinary_jitter_are_all_sent()
    {
        var filter = new LateAudioFilter(Limit);
        for (var n = 0; n < 500; n++) Assert.False(Read(filter, n, n % 7 * 15), $"packet {n}");
    }

    [Fact]
    public void After_a_300_ms_stall_the_packets_it_made_later_than_the_limit_are_dropped_and_the_rest_sent()
    {
        var filter = new LateAudioFilter(Limit);
        for (var n = 0; n < 100; n++) Assert.False(Read(filter, n, 2));
        // Packets 100-114 were due during the stall and are all read at its end (ms 2300); the loop is on time again
        // from packet 115: those 300 ms late down to 20 ms late, in one burst.
        var dropped = Enumerable.Range(100, 15).Where(n => Read(filter, n, 2300 - (n * 20))).ToList();
        Assert.Equal(Enumerable.Range(100, 9), dropped); // 300..140 ms late: dropped; 120..20 ms: sent
        for (var n = 115; n < 200; n++) Assert.False(Read(filter, n, 2), $"packet {n}");
    }

    [Fact]
    public void A_schedule_that_moves_for_good_costs_at_most_two_seconds_of_audio()
    {
        var filter = new LateAudioFilter(Limit);
        for (var n = 0; n < 100; n++) Assert.False(Read(filter, n, 2));
        // From packet 100 on every packet is read 200 ms later than before, steadily.
        var dropped = Enumerable.Range(100, 300).Count(n => Read(filter, n, 202));
        Assert.InRange(dropped, 1, 100);
        Assert.All(Enumerable.Range(400, 50), n => Assert.False(Read(filter, n, 202)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void A_limit_out_of_range_is_refused_with_its_name(int limit) =>
        Assert.Contains(new WebRtcOptions { DropAudioLateMilliseconds = limit }.Validate(), e => e.Contains("WebRtc:DropAudioLateMilliseconds", StringComparison.Ordinal));
}
