using LiveHost.WebRtc.Rooms;

namespace LiveHost.WebRtc.Tests;

/// <summary>WebRtc:PaceAudio: a tick's Opus packets leave at their own times, never before they arrived.</summary>
public sealed class AudioPacerTests
{
    private const long Frequency = 1_000_000; // microsecond timestamps
    private const long Packet90k = 1800;      // 20 ms of Opus on the 90 kHz clock

    private static long Ms(double ms) => (long)(ms * Frequency / 1000);

    [Fact]
    public void The_two_packets_of_a_tick_that_arrive_together_leave_20_ms_apart()
    {
        var pacer = new AudioPacer();
        var now = Ms(1000);

        Assert.Equal(TimeSpan.Zero, pacer.Hold(0, now, Frequency));
        Assert.Equal(TimeSpan.FromMilliseconds(20), pacer.Hold(Packet90k, now, Frequency));
        // The next tick's burst 40 ms later: its first packet is due at once, its second 20 ms on.
        Assert.Equal(TimeSpan.Zero, pacer.Hold(2 * Packet90k, now + Ms(40), Frequency));
        Assert.Equal(TimeSpan.FromMilliseconds(20), pacer.Hold(3 * Packet90k, now + Ms(40), Frequency));
    }

    [Fact]
    public void A_packet_that_arrives_late_leaves_at_once_and_the_pacer_does_not_catch_up_by_bunching()
    {
        var pacer = new AudioPacer();
        pacer.Hold(0, Ms(0), Frequency);
        pacer.Hold(Packet90k, Ms(0), Frequency);

        // The engine fell behind: the next tick came 100 ms late. It goes at once, and its partner 20 ms after it.
        Assert.Equal(TimeSpan.Zero, pacer.Hold(2 * Packet90k, Ms(140), Frequency));
        Assert.Equal(TimeSpan.FromMilliseconds(20), pacer.Hold(3 * Packet90k, Ms(140), Frequency));
    }

    [Fact]
    public void A_jump_in_media_time_holds_a_packet_for_at_most_20_ms()
    {
        var pacer = new AudioPacer();
        pacer.Hold(0, Ms(0), Frequency);

        Assert.Equal(TimeSpan.FromMilliseconds(20), pacer.Hold(90_000 * 60, Ms(0), Frequency));
    }

    [Fact]
    public void A_backlog_drains_at_twice_the_media_rate_so_later_audio_is_not_pushed_back_for_good()
    {
        var pacer = new AudioPacer();
        // Ten ticks (20 packets) waiting at once (the engine caught up, or the loop stalled): each is read when the one
        // before it has been released, as the room stream's loop does.
        var now = Ms(0);
        for (var k = 0; k < 20; k++)
        {
            var hold = pacer.Hold(k * Packet90k, now, Frequency);
            Assert.InRange(hold, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
            now += hold.Ticks * Frequency / TimeSpan.TicksPerSecond;
        }
        // 400 ms of audio out in 200 ms: held at most every other packet.
        Assert.Equal(Ms(200), now);

        // Back to normal: the next tick's first packet goes at once, its second 20 ms on.
        Assert.Equal(TimeSpan.Zero, pacer.Hold(20 * Packet90k, Ms(400), Frequency));
        Assert.Equal(TimeSpan.FromMilliseconds(20), pacer.Hold(21 * Packet90k, Ms(400), Frequency));
    }

    [Fact]
    public void Steady_arrivals_at_their_own_times_are_never_held()
    {
        var pacer = new AudioPacer();
        for (var k = 0; k < 50; k++) Assert.Equal(TimeSpan.Zero, pacer.Hold(k * Packet90k, Ms(20 * k), Frequency));
    }
}
