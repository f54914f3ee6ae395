using System.Net;
using LiveHost.ControlPlane.Comments;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Tests.Comments;

public sealed class CommentRateLimitsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_connection_that_left_is_forgotten()
    {
        var limits = new CommentRateLimits(new CommentOptions());
        limits.Take("c1", "127.0.0.1", "main", T0);

        limits.Forget("c1");

        Assert.Equal(0, limits.TrackedConnections);
        limits.Take("c1", "127.0.0.1", "main", T0);
    }

    [Fact]
    public void Addresses_whose_minute_has_passed_are_dropped_so_memory_follows_active_viewers()
    {
        var limits = new CommentRateLimits(new CommentOptions { RoomPerMinute = 100_000 });
        for (var i = 0; i < 1000; i++) limits.Take($"c{i}", $"10.0.{i / 250}.{i % 250}", "main", T0.AddMilliseconds(i));

        limits.Take("late", "192.0.2.1", "main", T0.AddMinutes(2));

        Assert.True(limits.TrackedAddresses <= 65, $"{limits.TrackedAddresses} addresses tracked");
    }

    [Fact]
    public void The_room_cap_counts_every_viewer_together()
    {
        var limits = new CommentRateLimits(new CommentOptions { RoomPerMinute = 3 });
        for (var i = 0; i < 3; i++) limits.Take($"c{i}", $"10.0.0.{i}", "main", T0);

        var refusal = Assert.Throws<CommandRejectedException>(() => limits.Take("c9", "10.0.0.9", "main", T0.AddSeconds(10)));
        limits.Take("c9", "10.0.0.9", "other", T0.AddSeconds(10));

        Assert.Equal(RejectionCode.RateLimited, refusal.Code);
        Assert.Equal("too many comments: room 'main' takes 3 comments per minute and is at its limit: try again in 50 s", refusal.Message);
    }

    [Theory]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    public void IPv6_addresses_are_counted_per_64(string address, string key) =>
        Assert.Equal(key, CommentRateLimits.AddressKey(IPAddress.Parse(address)));
}
