using LiveHost.Media;
using Xunit;

namespace LiveHost.Media.Tests;

/// <summary>Whether anyone wants a room's frames coded: subscriptions, passive ones, and demand holds.</summary>
public sealed class MediaBroadcasterDemandTests
{
    private static MediaBroadcaster Broadcaster() => new(new MediaFormat(320, 240, 25));

    [Fact]
    public void A_subscription_makes_demand_until_it_is_disposed()
    {
        var broadcaster = Broadcaster();
        Assert.False(broadcaster.HasDemand);

        var subscription = broadcaster.Subscribe("rtmp");
        Assert.True(broadcaster.HasDemand);

        subscription.Dispose();
        subscription.Dispose(); // a second dispose changes nothing
        Assert.False(broadcaster.HasDemand);
    }

    [Fact]
    public void A_passive_subscription_takes_frames_without_making_demand()
    {
        var broadcaster = Broadcaster();
        using var passive = broadcaster.Subscribe("webrtc", passive: true);
        Assert.False(broadcaster.HasDemand);

        broadcaster.Publish(new EncodedFrame(MediaKind.Video, 0, true, new byte[] { 1, 2, 3 }, 0));

        Assert.True(passive.TryRead(out var frame));
        Assert.Equal(0, frame!.Pts90k);
        Assert.True(passive.Passive);
    }

    [Fact]
    public void Demand_holds_count_each_until_released_and_a_second_release_does_nothing()
    {
        var broadcaster = Broadcaster();
        var requests = 0;
        broadcaster.KeyframeRequested += () => requests++;
        var first = broadcaster.HoldDemand();
        var second = broadcaster.HoldDemand();
        Assert.Equal(2, requests); // whoever comes wants a picture at once

        first.Dispose();
        first.Dispose();
        Assert.True(broadcaster.HasDemand);
        second.Dispose();
        Assert.False(broadcaster.HasDemand);
    }
}
