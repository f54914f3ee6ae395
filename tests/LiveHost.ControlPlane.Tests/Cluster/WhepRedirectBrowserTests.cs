using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LiveHost.ControlPlane.Tests.Cluster;

/// <summary>
/// The watch page served by a node that does not run the room follows the 307 to the owner in Debian's Chromium:
/// fetch re-sends the POST with its SDP body to the other origin (after a CORS preflight there), and the session's
/// Location is taken relative to the owner's URL, so its DELETE goes to the owner too.
/// </summary>
public sealed class WhepRedirectBrowserTests
{
    [Fact]
    public async Task The_watch_page_on_a_non_owner_posts_its_offer_to_the_owner_and_keeps_the_owners_session_url()
    {
        var sessions = new RecordingWhepSessions();
        await using var cluster = await ClusterNodes.StartAsync(ownerServices: s => s.AddSingleton<IWhepSessions>(sessions));

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.A.BaseAddress, "/watch/main").ToString());
        await page.WaitForFunctionAsync("() => window.livehost && (window.livehost.session || window.livehost.error)", null, new() { Timeout = 60_000 });

        Assert.Equal(new Uri(cluster.B.BaseAddress, "/whep/main/s1").ToString(), await page.EvaluateAsync<string>("() => window.livehost.session"));
        var offer = Assert.Single(sessions.Offers);
        Assert.StartsWith("v=0", offer, StringComparison.Ordinal);
        Assert.Contains("m=video", offer, StringComparison.Ordinal);
    }

    /// <summary>TEST DOUBLE for the owner's WebRTC sessions: keeps each offer and answers a session "s1" with a fixed SDP.</summary>
    private sealed class RecordingWhepSessions : IWhepSessions
    {
        public ConcurrentQueue<string> Offers { get; } = new();

        public bool RequireViewerKey => false;

        public bool TryAdmitPost(IPAddress? client, out TimeSpan retryAfter)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        public WhepSessionResult Create(string room, string offerSdp, IPAddress? client)
        {
            Offers.Enqueue(offerSdp);
            return new WhepSessionResult(WhepSessionStatus.Created, "s1", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", null);
        }

        public bool Delete(string room, string sessionId) => true;

        public bool Exists(string room, string sessionId) => true;
    }
}
