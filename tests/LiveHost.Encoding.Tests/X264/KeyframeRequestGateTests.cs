using LiveHost.Encoding.Video;

namespace LiveHost.Encoding.Tests.X264;

public sealed class KeyframeRequestGateTests
{
    [Fact]
    public void Nothing_is_forced_until_someone_asks()
    {
        var gate = new KeyframeRequestGate(12);
        Assert.False(gate.ShouldForce(0));
        Assert.False(gate.ShouldForce(100));
    }

    [Fact]
    public void A_request_forces_the_next_frame_once_the_gap_since_the_last_idr_has_passed()
    {
        var gate = new KeyframeRequestGate(12);
        gate.OnIdr(0);
        gate.Request();
        Assert.False(gate.ShouldForce(5));  // inside the gap: waits, still pending
        Assert.True(gate.IsPending);
        Assert.True(gate.ShouldForce(12));
        gate.OnIdr(12);
        Assert.False(gate.IsPending);
        Assert.False(gate.ShouldForce(13));
    }

    [Fact]
    public void Many_requests_before_one_idr_cost_one_idr()
    {
        var gate = new KeyframeRequestGate(0);
        for (var i = 0; i < 50; i++) gate.Request();
        Assert.True(gate.ShouldForce(7));
        gate.OnIdr(7);
        Assert.False(gate.ShouldForce(8));
    }

    [Fact]
    public void A_gop_idr_answers_a_pending_request()
    {
        var gate = new KeyframeRequestGate(12);
        gate.OnIdr(0);
        gate.Request();
        gate.OnIdr(5); // the encoder's own keyframe came first
        Assert.False(gate.ShouldForce(20));
    }

    [Fact]
    public void The_first_request_is_honoured_at_once_when_no_idr_was_seen()
    {
        var gate = new KeyframeRequestGate(1000);
        gate.Request();
        Assert.True(gate.ShouldForce(3));
    }
}
