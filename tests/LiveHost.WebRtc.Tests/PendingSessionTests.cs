using System.Net;
using LiveHost.Media;
using LiveHost.WebRtc.Admission;
using LiveHost.WebRtc.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// Sessions offered but not (yet) connected, on the real <see cref="WebRtcService"/> with a fake clock: capped per
/// client address and in total, and closed when their handshake time is up.
/// </summary>
public sealed class PendingSessionTests : IAsyncLifetime
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chrome-156-recvonly-offer.sdp"));
    private static readonly IPAddress First = IPAddress.Parse("203.0.113.1");
    private static readonly IPAddress Second = IPAddress.Parse("203.0.113.2");

    private readonly FakeTimeProvider _time = new();
    private WebRtcService _service = null!;

    public Task InitializeAsync()
    {
        var options = new WebRtcOptions { MaxPendingPerAddress = 2, MaxPendingTotal = 3, HandshakeTimeoutSeconds = 10 };
        _service = new WebRtcService(options, _time, NullLoggerFactory.Instance);
        _service.AddRoom("main", new MediaBroadcaster(new MediaFormat(320, 240, 25)), () => { });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public void Pending_sessions_are_capped_per_address_and_in_total_with_a_retry_after_of_the_handshake_timeout()
    {
        var a1 = _service.CreateSession("main", ChromeOffer, First);
        var a2 = _service.CreateSession("main", ChromeOffer, First);
        var a3 = _service.CreateSession("main", ChromeOffer, First);
        var b1 = _service.CreateSession("main", ChromeOffer, Second);
        var b2 = _service.CreateSession("main", ChromeOffer, Second);

        Assert.Equal([WhepStatus.Created, WhepStatus.Created, WhepStatus.TooManyPending, WhepStatus.Created, WhepStatus.TooManyPending],
            new[] { a1.Status, a2.Status, a3.Status, b1.Status, b2.Status });
        Assert.Contains("from your address are still connecting (the limit is 2)", a3.Error, StringComparison.Ordinal);
        Assert.Contains("on this server (the limit is 3)", b2.Error, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(10), a3.RetryAfter);
        Assert.Equal(3, _service.PendingCount);
        Assert.Equal(2, _service.Refused);
        Assert.All(_service.Sessions, s => Assert.False(s.HoldsThread));
    }

    [Fact]
    public async Task A_pending_session_is_closed_when_its_handshake_time_is_up_and_frees_its_slot()
    {
        var created = _service.CreateSession("main", ChromeOffer, First);
        Assert.Equal(WhepStatus.Created, created.Status);
        var session = Assert.Single(_service.Sessions);
        var closed = new TaskCompletionSource<ViewerCloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Closed += (_, reason) => closed.TrySetResult(reason);

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(closed.Task.IsCompleted);
        Assert.Equal(ViewerSessionState.Connecting, session.State);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(ViewerCloseReason.HandshakeFailed, await closed.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, _service.PendingCount);
        Assert.Equal(WhepStatus.Created, _service.CreateSession("main", ChromeOffer, First).Status);
    }
}

public sealed class AddressRateLimiterTests
{
    [Fact]
    public void Each_address_spends_its_burst_then_waits_for_the_refill_and_others_are_unaffected()
    {
        var time = new FakeTimeProvider();
        var limiter = new AddressRateLimiter(burst: 2, perMinute: 6, time);
        var client = IPAddress.Parse("198.51.100.7");

        Assert.True(limiter.TryAcquire(client, out _));
        Assert.True(limiter.TryAcquire(client, out _));
        Assert.False(limiter.TryAcquire(client, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(10), retryAfter);
        Assert.True(limiter.TryAcquire(IPAddress.Parse("198.51.100.8"), out _));

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(limiter.TryAcquire(client, out retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromMilliseconds(999), TimeSpan.FromMilliseconds(1001));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(client, out _));
    }

    [Fact]
    public void Ipv6_clients_share_a_bucket_per_64_and_a_mapped_ipv4_client_is_its_ipv4_address()
    {
        var limiter = new AddressRateLimiter(burst: 1, perMinute: 1, new FakeTimeProvider());

        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2::1"), out _));
        Assert.False(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2:ffff::9"), out _));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:3::1"), out _));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("192.0.2.1"), out _));
        Assert.False(limiter.TryAcquire(IPAddress.Parse("::ffff:192.0.2.1"), out _));
    }

    [Fact]
    public void Buckets_of_quiet_clients_are_forgotten()
    {
        var time = new FakeTimeProvider();
        var limiter = new AddressRateLimiter(burst: 5, perMinute: 60, time);
        for (var i = 1; i <= 100; i++) limiter.TryAcquire(IPAddress.Parse($"198.51.100.{i}"), out _);
        Assert.Equal(100, limiter.TrackedAddresses);

        time.Advance(TimeSpan.FromSeconds(1));
        limiter.Prune();

        Assert.Equal(0, limiter.TrackedAddresses);
    }
}
