using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LiveHost.WebRtc.Sessions;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Tests;

/// <summary>A host whose pending caps and rate limit let 200 keyless offers from loopback through.</summary>
public sealed class FloodableWatchServer : IAsyncLifetime
{
    public WatchServer Server { get; } = new();

    public Task InitializeAsync()
    {
        Server.Settings["WebRtc:MaxViewersPerRoom"] = "300";
        Server.Settings["WebRtc:MaxViewersTotal"] = "300";
        Server.Settings["WebRtc:MaxPendingPerAddress"] = "250";
        Server.Settings["WebRtc:MaxPendingTotal"] = "250";
        Server.Settings["WebRtc:WhepPostBurstPerAddress"] = "1000";
        return Server.InitializeAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

public sealed class WhepFloodTests(FloodableWatchServer fixture, ITestOutputHelper output) : IClassFixture<FloodableWatchServer>
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chrome-156-recvonly-offer.sdp"));

    [Fact]
    public async Task Two_hundred_pending_sessions_hold_no_thread_and_a_connected_viewer_keeps_playing()
    {
        var server = fixture.Server;
        using var client = server.Client();
        await using var viewer = await ManagedViewer.ConnectAsync(client, "main");
        await viewer.WaitForIdrAfterAsync(0, TimeSpan.FromSeconds(15));
        var live = server.WebRtc.Sessions.Single(s => s.State == ViewerSessionState.Live);
        var threadsBefore = ThreadCount();

        var locations = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            using var posted = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer);
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            locations.Add(posted.Headers.Location!.ToString());
        }

        // Every POST has returned, so every session exists: count now.
        var threadsAfter = ThreadCount();
        var pending = server.WebRtc.Sessions.Where(s => s.State == ViewerSessionState.Connecting).ToList();
        output.WriteLine($"threads {threadsBefore} before the 200 offers, {threadsAfter} after; {pending.Count} pending sessions");
        Assert.Equal(200, pending.Count);
        Assert.DoesNotContain(pending, s => s.HoldsThread);
        Assert.True(threadsAfter - threadsBefore < 50, $"threads grew from {threadsBefore} to {threadsAfter} with 200 pending sessions");

        // The viewer that was connected before the flood is still served: a keyframe sent after it arrives.
        var afterFlood = Stopwatch.GetTimestamp();
        await viewer.WaitForIdrAfterAsync(afterFlood, TimeSpan.FromSeconds(10));
        Assert.Equal(ViewerSessionState.Live, live.State);

        foreach (var location in locations) Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(location)).StatusCode);
        Assert.Equal(0, server.WebRtc.PendingCount);
    }

    private static int ThreadCount()
    {
        using var process = Process.GetCurrentProcess();
        return process.Threads.Count;
    }
}

/// <summary>A host with small WHEP admission limits: two pending sessions per address, four offers per address at once.</summary>
public sealed class AdmissionWatchServer : IAsyncLifetime
{
    public WatchServer Server { get; } = new();

    public Task InitializeAsync()
    {
        Server.Settings["WebRtc:MaxPendingPerAddress"] = "2";
        Server.Settings["WebRtc:WhepPostBurstPerAddress"] = "4";
        Server.Settings["WebRtc:WhepPostsPerMinutePerAddress"] = "0.1";
        return Server.InitializeAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

public sealed class WhepAdmissionTests(AdmissionWatchServer fixture) : IClassFixture<AdmissionWatchServer>
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chrome-156-recvonly-offer.sdp"));

    [Fact]
    public async Task Past_the_pending_cap_an_offer_gets_503_and_past_the_rate_limit_429_both_with_retry_after_and_a_code()
    {
        var server = fixture.Server;
        using var client = server.Client();

        using var first = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer);
        using var second = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer);
        using var third = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer);
        using var fourth = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer);
        using var fifth = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fourth.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);

        var full = JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unavailable", full.GetProperty("code").GetString());
        Assert.Contains("still connecting (the limit is 2)", full.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("10", third.Headers.GetValues("Retry-After").Single());

        var limited = JsonDocument.Parse(await fifth.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("rateLimited", limited.GetProperty("code").GetString());
        Assert.Contains("too many WHEP offers", limited.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retry = int.Parse(fifth.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retry, 1, 600);
        Assert.Equal("*", fifth.Headers.GetValues("Access-Control-Allow-Origin").Single());

        Assert.Equal(2, server.WebRtc.PendingCount);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(first.Headers.Location)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(second.Headers.Location)).StatusCode);
    }
}
