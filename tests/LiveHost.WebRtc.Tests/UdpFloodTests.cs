using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LiveHost.WebRtc.Sessions;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// Fault suite: 20,000 random UDP datagrams at the WebRTC port while Chromium watches. Half are raw random bytes
/// from an address no session knows (every first-byte class of RFC 7983's demux: STUN, DTLS, RTP/RTCP, junk); half
/// are mutated STUN, DTLS and RTCP routed into the live session itself. The viewer keeps playing.
/// </summary>
public sealed class UdpFloodTests(WatchServer server, ITestOutputHelper output) : IClassFixture<WatchServer>
{
    private const int Datagrams = 20_000;

    [Fact]
    public async Task Twenty_thousand_random_datagrams_at_the_webrtc_port_leave_a_playing_chromium_viewer_playing()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/watch/main").ToString());
        await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(30), "the first decoded video frame");
        var session = Assert.Single(server.WebRtc.Sessions);
        var rtcpRejectedBefore = session.Counters.RtcpRejected;

        var random = new Random(9_2026);
        var flood = Stopwatch.StartNew();
        using (var stranger = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        using (var insider = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            server.WebRtc.Transport.RegisterAddress(((IPEndPoint)insider.Client.LocalEndPoint!).Serialize(), session);
            for (var i = 0; i < Datagrams; i++)
            {
                if (i % 2 == 0)
                {
                    var junk = new byte[random.Next(1, 1500)];
                    random.NextBytes(junk);
                    await stranger.SendAsync(junk, server.WebRtc.LocalEndPoint);
                }
                else
                {
                    await insider.SendAsync(HostileDatagrams.Next(random, session.LocalUfrag), server.WebRtc.LocalEndPoint);
                }
                // Let the kernel hand them over rather than drop them all in one burst.
                if (i % 500 == 499) await Task.Delay(5);
            }
        }
        flood.Stop();

        // Playing on: the same session is live, and the page decodes 25 more frames (a second of video) after the flood.
        var afterFlood = await PlayerProbe.StatsAsync(page);
        var resumed = await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded >= afterFlood.FramesDecoded + 25, TimeSpan.FromSeconds(15),
            "25 more decoded frames after the flood");
        output.WriteLine($"{Datagrams} datagrams sent in {flood.Elapsed.TotalMilliseconds:F0} ms; frames decoded {afterFlood.FramesDecoded} -> {resumed.FramesDecoded}; " +
            $"session RTCP rejected {session.Counters.RtcpRejected - rtcpRejectedBefore}; state {session.State}");
        Assert.Equal(ViewerSessionState.Live, session.State);
        Assert.Same(session, Assert.Single(server.WebRtc.Sessions));
        Assert.True(session.Counters.RtcpRejected > rtcpRejectedBefore, "the hostile RTCP never reached the session");
        Assert.Equal("connected", resumed.ConnectionState);
    }
}
