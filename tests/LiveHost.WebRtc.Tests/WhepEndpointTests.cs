using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace LiveHost.WebRtc.Tests;

/// <summary>The WHEP HTTP surface with a real browser offer (captured from Chromium 156) and the real WebRTC service.</summary>
public sealed class WhepEndpointTests(WatchServer server) : IClassFixture<WatchServer>
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chrome-156-recvonly-offer.sdp"));

    [Fact]
    public async Task An_offer_gets_201_with_the_session_location_and_an_ice_lite_answer_and_DELETE_ends_it()
    {
        using var client = server.Client();
        using var response = await PostOfferAsync(client, "main", ChromeOffer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/sdp", response.Content.Headers.ContentType?.MediaType);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/whep/main/", location, StringComparison.Ordinal);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", answer, StringComparison.Ordinal);
        Assert.Contains("a=fingerprint:sha-256 " + server.WebRtc.CertificateFingerprint.Split(' ')[1], answer, StringComparison.Ordinal);
        Assert.Contains($" {server.WebRtc.LocalEndPoint.Port} typ host", answer, StringComparison.Ordinal);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains(server.WebRtc.Sessions, s => location.EndsWith(s.Id, StringComparison.Ordinal));

        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StringContent("a=end-of-candidates\r\n") };
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/trickle-ice-sdpfrag");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(patch)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(location)).StatusCode);
        Assert.DoesNotContain(server.WebRtc.Sessions, s => location.EndsWith(s.Id, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(location)).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_get_clear_errors_and_create_nothing()
    {
        using var client = server.Client();
        var before = server.WebRtc.ViewerCount;

        using var unknownRoom = await PostOfferAsync(client, "nowhere", ChromeOffer);
        using var notSdp = await PostOfferAsync(client, "main", "hello");
        using var noCodecs = await PostOfferAsync(client, "main", ChromeOffer.Replace("H264", "H999", StringComparison.Ordinal));
        using var wrongType = await client.PostAsync("/whep/main", new StringContent(ChromeOffer, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, unknownRoom.StatusCode);
        Assert.Contains("unknown room 'nowhere'", await unknownRoom.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notSdp.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noCodecs.StatusCode);
        Assert.Contains("H264", await noCodecs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal(before, server.WebRtc.ViewerCount);
    }

    [Fact]
    public async Task A_browser_preflight_is_answered_for_cross_origin_players()
    {
        using var client = server.Client();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/whep/main");
        preflight.Headers.Add("Origin", "https://player.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("Authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_watch_page_is_served_for_a_room()
    {
        using var client = server.Client();
        var html = await client.GetStringAsync("/watch/main");
        Assert.Contains("RTCPeerConnection", html, StringComparison.Ordinal);
        Assert.Contains("'/whep/'", html, StringComparison.Ordinal);
    }

    internal static Task<HttpResponseMessage> PostOfferAsync(HttpClient client, string room, string offer, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/whep/" + room) { Content = new StringContent(offer, System.Text.Encoding.UTF8, "application/sdp") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }
}

/// <summary>A host whose room needs a viewer key and takes one viewer, the whole server two.</summary>
public sealed class LimitedWatchServer : IAsyncLifetime
{
    public WatchServer Server { get; } = new();

    public Task InitializeAsync()
    {
        Server.Settings["WebRtc:RequireViewerKey"] = "true";
        Server.Settings["WebRtc:MaxViewersPerRoom"] = "1";
        Server.Settings["WebRtc:MaxViewersTotal"] = "2";
        return Server.InitializeAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

public sealed class WhepLimitTests(LimitedWatchServer limited) : IClassFixture<LimitedWatchServer>
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chrome-156-recvonly-offer.sdp"));

    [Fact]
    public async Task A_room_that_needs_a_key_refuses_anonymous_viewers_and_a_full_room_answers_503()
    {
        var server = limited.Server;
        using var client = server.Client();

        using var anonymous = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer);
        using var first = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer, WatchServer.ViewerKey);
        using var second = await WhepEndpointTests.PostOfferAsync(client, "main", ChromeOffer, WatchServer.ViewerKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("key", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Contains("limit of 1 viewers", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(second.Headers.Contains("Retry-After"));
        Assert.Equal(1, server.WebRtc.ViewerCount);

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("livehost_webrtc_sessions_refused_total 1", metrics, StringComparison.Ordinal);
        Assert.Contains("livehost_webrtc_viewers{room=\"main\"} 1", metrics, StringComparison.Ordinal);
    }
}
