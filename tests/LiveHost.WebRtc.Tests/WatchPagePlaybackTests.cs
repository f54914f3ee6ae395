using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using LiveHost.WebRtc.Sessions;
using Microsoft.Playwright;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// A real browser watching a room: Debian's chromium opens /watch/main, negotiates over WHEP, and decodes the room's
/// H.264 and Opus through our ICE-lite, DTLS-SRTP and RTP stack.
/// </summary>
public sealed class WatchPagePlaybackTests(WatchServer server) : IClassFixture<WatchServer>
{
    private static readonly TimeSpan Connect = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Chromium_plays_the_room_video_and_hears_a_spoken_line_then_leaving_ends_the_session()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/watch/main").ToString());

        var first = await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded > 0, Connect, "the first decoded video frame");
        Assert.Equal(1, server.WebRtc.ViewersOf("main"));
        // The page starts muted (browsers only autoplay muted media); Chrome measures audio energy after the element's
        // volume, so unmute as a listener would.
        await page.EvaluateAsync("() => { const v = document.getElementById('video'); v.muted = false; return v.play(); }");
        Assert.Equal((320.0, 240.0), (first.FrameWidth ?? 0, first.FrameHeight ?? 0));

        // Idle: the picture keeps coming and the sound is silence.
        var idleStart = await PlayerProbe.StatsAsync(page);
        await Task.Delay(2000);
        var idleEnd = await PlayerProbe.StatsAsync(page);
        Assert.True(idleEnd.FramesDecoded - idleStart.FramesDecoded >= 25, $"frames decoded {idleStart.FramesDecoded} -> {idleEnd.FramesDecoded} in 2 s");

        using (var seller = server.Client(WatchServer.SellerKey))
        {
            var post = await seller.PostAsJsonAsync("/api/rooms/main/lines",
                new { text = "Good evening everyone, welcome to the live show. Let me tell you about today's offer." });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, post.StatusCode);
        }
        var speechStart = await PlayerProbe.StatsAsync(page);
        await Task.Delay(3000);
        var speechEnd = await PlayerProbe.StatsAsync(page);

        var idleEnergy = idleEnd.TotalAudioEnergy - idleStart.TotalAudioEnergy;
        var speechEnergy = speechEnd.TotalAudioEnergy - speechStart.TotalAudioEnergy;
        Assert.True(speechEnergy > 0.01 && speechEnergy > 10 * idleEnergy,
            $"audio energy while speaking {speechEnergy:E3} vs idle {idleEnergy:E3}; stats {speechEnd}; room audio packets {server.WebRtc.Rooms.Single().AudioPackets}");
        Assert.True(speechEnd.FramesDecoded - speechStart.FramesDecoded >= 40, "video kept decoding while the line played");

        // 10 000 random and mutated STUN, DTLS and RTCP datagrams routed into the live session must not harm it.
        var session = Assert.Single(server.WebRtc.Sessions);
        using (var attacker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            server.WebRtc.Transport.RegisterAddress(((IPEndPoint)attacker.Client.LocalEndPoint!).Serialize(), session);
            var random = new Random(2026);
            for (var i = 0; i < 10_000; i++)
            {
                await attacker.SendAsync(HostileDatagrams.Next(random, session.LocalUfrag), server.WebRtc.LocalEndPoint);
                if (i % 500 == 0) await Task.Delay(5);
            }
        }
        var fuzzedStart = await PlayerProbe.StatsAsync(page);
        await Task.Delay(2000);
        var fuzzedEnd = await PlayerProbe.StatsAsync(page);
        Assert.Equal(ViewerSessionState.Live, session.State);
        Assert.True(session.Counters.RtcpRejected > 0, "the hostile RTCP reached the session");
        Assert.True(fuzzedEnd.FramesDecoded - fuzzedStart.FramesDecoded >= 25, $"after the fuzz: frames {fuzzedStart.FramesDecoded} -> {fuzzedEnd.FramesDecoded}");

        // Leaving the page sends DELETE: the server ends the session at once.
        await page.GotoAsync("about:blank");
        await WaitUntilAsync(() => server.WebRtc.ViewersOf("main") == 0, TimeSpan.FromSeconds(5), "the session to end after leaving");
        // The page's DELETE and Chromium's DTLS close_notify race: either way the server ended it at once.
        Assert.Contains(session.CloseReason, new ViewerCloseReason?[] { ViewerCloseReason.Deleted, ViewerCloseReason.PeerClosed });
    }

    [Fact]
    public async Task A_viewer_that_vanishes_without_leaving_is_dropped_when_its_consent_expires()
    {
        ViewerSession session;
        await using (var browser = await BrowserSession.LaunchAsync())
        {
            var page = await browser.Context.NewPageAsync();
            await page.GotoAsync(new Uri(server.BaseAddress, "/watch/main").ToString());
            await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded > 0, Connect, "the first decoded video frame");
            session = Assert.Single(server.WebRtc.Sessions);
            // Kill the page's network path the hard way: the browser process goes, no pagehide, no DELETE.
            await page.RouteAsync("**/whep/**", route => route.AbortAsync());
        }

        // WatchServer sets a 4 s consent timeout (the default is RFC 7675's 30 s).
        await WaitUntilAsync(() => session.State == ViewerSessionState.Closed, TimeSpan.FromSeconds(12), "the silent viewer to be dropped");
        Assert.Equal(ViewerCloseReason.ConsentExpired, session.CloseReason);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
