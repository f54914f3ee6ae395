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

    /// <summary>How long a window may take to see its frames or sound: 1 s of stream, given 20x on a loaded machine.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

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
        // Each window waits for the browser to get there (a busy machine decodes later, not less), with a generous limit.
        var idleStart = await PlayerProbe.StatsAsync(page);
        var idleEnd = await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded - idleStart.FramesDecoded >= 25, Window,
            $"25 more decoded frames while idle (from {idleStart.FramesDecoded})");

        using (var seller = server.Client(WatchServer.SellerKey))
        {
            var post = await seller.PostAsJsonAsync("/api/rooms/main/lines",
                new { text = "Good evening everyone, welcome to the live show. Let me tell you about today's offer." });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, post.StatusCode);
        }
        var speechStart = await PlayerProbe.StatsAsync(page);
        var idleEnergy = idleEnd.TotalAudioEnergy - idleStart.TotalAudioEnergy;
        var heard = Math.Max(0.01, 10 * idleEnergy);
        PlayerStats speechEnd;
        try
        {
            speechEnd = await PlayerProbe.WaitForAsync(page,
                s => s.TotalAudioEnergy - speechStart.TotalAudioEnergy > heard && s.FramesDecoded - speechStart.FramesDecoded >= 40, Window,
                $"the line to be heard (audio energy above {heard:E3}, 10x the idle window's {idleEnergy:E3}) while 40 more frames decode");
        }
        catch (TimeoutException e)
        {
            var last = await PlayerProbe.StatsAsync(page);
            throw new TimeoutException($"{e.Message}; stats {last}; room audio packets {server.WebRtc.Rooms.Single().AudioPackets}", e);
        }
        Assert.True(speechEnd.TotalAudioEnergy - speechStart.TotalAudioEnergy > heard);

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
        await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded - fuzzedStart.FramesDecoded >= 25, Window,
            $"25 more decoded frames after the fuzz (from {fuzzedStart.FramesDecoded})");
        Assert.Equal(ViewerSessionState.Live, session.State);
        Assert.True(session.Counters.RtcpRejected > 0, "the hostile RTCP reached the session");

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
