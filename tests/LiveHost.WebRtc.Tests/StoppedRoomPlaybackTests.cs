using System.Diagnostics;
using System.Net;
using LiveHost.Host.Rooms;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// A room stopped for good (what the consent watcher does when a likeness's consent is withdrawn) ends its viewers:
/// Chromium watching it sees its DTLS transport closed within 5 s (no frozen last frame left "connected"), the
/// server no longer counts it, and a new WHEP offer gets 409 with the reason.
/// </summary>
public sealed class StoppedRoomPlaybackTests(WatchServer server, ITestOutputHelper output) : IClassFixture<WatchServer>
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chrome-156-recvonly-offer.sdp"));

    [Fact]
    public async Task Stopping_a_room_for_consent_ends_every_viewer_in_Chromium_and_refuses_new_offers_with_409()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/watch/main").ToString());
        await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(20), "the first decoded video frame");
        Assert.Equal(1, server.WebRtc.ViewersOf("main"));
        Assert.Equal("connected", await page.EvaluateAsync<string>("() => window.livehost.pc.connectionState"));

        const string reason = "avatar package 'synthetic' may no longer be shown (Revoked): consent 'c-1' was revoked: the subject withdrew";
        var room = server.Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
        var stoppedAt = Stopwatch.StartNew();
        await room.StopAsync(reason);

        // The browser is told: its DTLS transport closes (close_notify), so playback ends rather than freezing.
        await page.WaitForFunctionAsync(
            "() => { const t = window.livehost.pc.getReceivers()[0].transport; return t && t.state === 'closed'; }",
            null, new() { Timeout = 5000 });
        var ended = stoppedAt.Elapsed;
        var states = await page.EvaluateAsync<string>(
            "() => JSON.stringify({ connection: window.livehost.pc.connectionState, dtls: window.livehost.pc.getReceivers()[0].transport.state })");
        output.WriteLine($"browser ended {ended.TotalMilliseconds:F0} ms after the stop: {states}");
        Assert.True(ended < TimeSpan.FromSeconds(5));
        Assert.Equal(0, server.WebRtc.ViewersOf("main"));
        Assert.True(server.WebRtc.ClosedByReason.TryGetValue("RoomStopped", out var closed) && closed >= 1);

        // A new viewer is refused, saying why, instead of getting 201 and a black picture.
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/whep/main")
        {
            Content = new StringContent(ChromeOffer, System.Text.Encoding.UTF8, "application/sdp"),
        };
        var refused = await client.SendAsync(request);
        var body = await refused.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("room 'main' is stopped", body, StringComparison.Ordinal);
        Assert.Contains("the subject withdrew", body, StringComparison.Ordinal);

        // The room's state and /healthz say stopped, with the reason.
        var health = await client.GetAsync("/healthz");
        var healthBody = await health.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"status\":\"stopped\"", healthBody, StringComparison.Ordinal);
        Assert.Contains("the subject withdrew", healthBody, StringComparison.Ordinal);
        var roomState = room.Controller.GetState();
        Assert.Equal(LiveHost.Engine.Rooms.RoomActivity.Stopped, roomState.Activity);
        Assert.Equal(reason, roomState.StoppedReason);
    }
}
