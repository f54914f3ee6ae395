using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Host.Outputs;
using LiveHost.TestSupport;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests;

/// <summary>
/// Output management over REST on the real host (issue 19 points 2 and 3): Idempotency-Key, pause and resume with nginx-rtmp
/// telling the test when publications start and end, and presets refusing what a platform would.
/// </summary>
public sealed class OutputManagementEndToEndTests(LiveHostServer server, ITestOutputHelper output) : IClassFixture<LiveHostServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_same_idempotency_key_and_body_return_the_same_output_and_a_different_body_is_a_422()
    {
        using var admin = server.Client(LiveHostServer.AdminKey);
        var url = server.Nginx.RtmpUrl("idempotent");
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/rooms/main/outputs")).GetArrayLength();

        using var first = await PostAsync(admin, "retry-me-1", new { url });
        using var second = await PostAsync(admin, "retry-me-1", new { url = "  " + url + " " });
        using var other = await PostAsync(admin, "retry-me-1", new { url = server.Nginx.RtmpUrl("elsewhere") });
        using var badKey = await PostAsync(admin, "has spaces", new { url });
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/rooms/main/outputs");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(id, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        var problem = await other.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("idempotencyKeyReused", problem.GetProperty("code").GetString());
        Assert.Contains($"already made output '{id}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        // One output came of four requests.
        Assert.Equal(before + 1, listed.GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/main/outputs/{id}")).StatusCode);
        // The output the key made is gone, so the key is free again: a retry makes a new one.
        using var again = await PostAsync(admin, "retry-me-1", new { url });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var newId = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.NotEqual(id, newId);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/main/outputs/{newId}")).StatusCode);
    }

    [Fact]
    public async Task Pausing_an_output_over_rest_ends_its_publication_and_resuming_publishes_again_and_metrics_show_the_state()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        using var admin = server.Client(LiveHostServer.AdminKey);
        using var added = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new { url = nginx.RtmpUrl("pausable"), preset = "generic" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        try
        {
            await notifications.WaitForAsync("publish", "pausable", Timeout);

            using var paused = await admin.PostAsync($"/api/rooms/main/outputs/{id}/pause", null);
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            var pausedState = await paused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("paused", "generic"), (pausedState.GetProperty("status").GetString(), pausedState.GetProperty("preset").GetString()));
            await notifications.WaitForAsync("publish_done", "pausable", Timeout);
            var metrics = await admin.GetStringAsync("/metrics");
            Assert.Contains($"livehost_output_state{{room=\"main\",output=\"{id}\",state=\"paused\"}} 1", metrics, StringComparison.Ordinal);
            Assert.Contains($"livehost_output_bitrate_bits_per_second{{room=\"main\",output=\"{id}\"}} 0", metrics, StringComparison.Ordinal);

            using var resumed = await admin.PostAsync($"/api/rooms/main/outputs/{id}/resume", null);
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            await notifications.WaitForAsync("publish", "pausable", Timeout);
            var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/rooms/main/outputs")).EnumerateArray().Single(o => o.GetProperty("id").GetString() == id);
            output.WriteLine(listed.ToString());
            Assert.Equal(0, listed.GetProperty("reconnects").GetInt64());
            Assert.True(listed.TryGetProperty("bitsPerSecond", out _));

            using var missing = await admin.PostAsync("/api/rooms/main/outputs/rtmp-999/pause", null);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            using var producer = server.Client(LiveHostServer.ProducerKey);
            using var forbidden = await producer.PostAsync($"/api/rooms/main/outputs/{id}/pause", null);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        finally
        {
            await admin.DeleteAsync($"/api/rooms/main/outputs/{id}");
        }
    }

    [Theory]
    [InlineData("rtmp://127.0.0.1:1935/rtmp/key", "facebook", null, "Facebook Live takes RTMPS only: use an rtmps:// URL")]
    [InlineData("rtmp://127.0.0.1:1935/app/key", "tiktok", null, "unknown preset 'tiktok'; expected youtube | twitch | facebook | douyin | generic")]
    [InlineData("rtmps://127.0.0.1:1935/app/key", null, "/nonexistent/ca.pem", "trustedCa '/nonexistent/ca.pem' is neither PEM text nor a readable PEM file")]
    [InlineData("rtmp://127.0.0.1:1935/app/key", null, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "trustedCa holds no readable PEM certificate")]
    [InlineData("ftp://127.0.0.1:9000/live", null, null, "outputs take rtmp://, rtmps://, srt:// or https:// (WHIP) URLs (got 'ftp')")]
    [InlineData("srt://127.0.0.1:9000?latency=5", null, null, "SRT URL latency must be 20..8000 milliseconds (got '5')")]
    [InlineData("srt://127.0.0.1:9000", "facebook", null, "Facebook Live takes RTMPS only")]
    public async Task A_preset_or_trusted_ca_that_does_not_fit_is_a_400_with_the_reason_and_adds_nothing(string url, string? preset, string? trustedCa, string reason)
    {
        using var admin = server.Client(LiveHostServer.AdminKey);
        var before = await OutputIdsAsync(admin);

        using var response = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new { url, preset, trustedCa });

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        output.WriteLine(problem.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await OutputIdsAsync(admin));
    }

    [Fact]
    public async Task An_srt_output_added_over_rest_is_kind_srt_and_never_shows_its_passphrase()
    {
        using var admin = server.Client(LiveHostServer.AdminKey);
        using var added = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new { url = "srt://127.0.0.1:9?latency=200&passphrase=SECRET-passphrase" });
        var body = await added.Content.ReadAsStringAsync();
        var listed = await admin.GetStringAsync("/api/rooms/main/outputs");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/main/outputs/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.StartsWith("srt-", id, StringComparison.Ordinal);
        var state = JsonDocument.Parse(body).RootElement;
        Assert.Equal(("srt", "srt://127.0.0.1:9?latency=200&passphrase=****"), (state.GetProperty("kind").GetString(), state.GetProperty("url").GetString()));
        Assert.DoesNotContain("SECRET", body + listed, StringComparison.Ordinal);
    }

    /// <summary>The room's output ids (their bitrates change from one read to the next; what is listed does not).</summary>
    internal static async Task<string[]> OutputIdsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/rooms/main/outputs")).EnumerateArray().Select(o => o.GetProperty("id").GetString()!).ToArray();

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/main/outputs") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}

public sealed class OutputPresetTests
{
    private static readonly RoomEncodeProfile Default = new(1280, 720, 30, 2, 2500, 2500, true, 48_000, 128);

    [Theory]
    [InlineData("youtube")]
    [InlineData("twitch")]
    [InlineData("douyin")]
    [InlineData("generic")]
    [InlineData("YouTube")]
    public void The_default_encode_at_720p_suits_every_rtmp_preset(string preset) =>
        Assert.Null(OutputPresets.Refusal(preset, Default, secure: false));

    [Fact]
    public void Facebook_takes_the_default_encode_over_rtmps_only() =>
        Assert.Equal((null, "preset 'facebook' refuses this output: Facebook Live takes RTMPS only: use an rtmps:// URL"),
            (OutputPresets.Refusal("facebook", Default, secure: true), OutputPresets.Refusal("facebook", Default, secure: false)));

    [Theory]
    [InlineData("twitch", 7000, 7000, 128, "Twitch takes at most 6000 kbit/s of video at 720p; the room's encode peaks at 7000 kbit/s")]
    [InlineData("twitch", 2500, 4000, 128, "Twitch expects constant bitrate; the room's encode peaks at 4000 kbit/s over a 2500 kbit/s target")]
    [InlineData("twitch", 2500, 2500, 192, "Twitch takes at most 160 kbit/s of audio")]
    [InlineData("youtube", 8000, 8000, 128, "YouTube Live takes at most 6000 kbit/s of video at 720p")]
    [InlineData("douyin", 5000, 5000, 128, "Douyin takes at most 4000 kbit/s of video at 720p")]
    public void A_preset_refuses_an_encode_its_platform_rejects_and_names_the_setting(string preset, int bitrate, int maxRate, int audio, string reason)
    {
        var encode = Default with { VideoBitrateKbps = bitrate, VideoMaxRateKbps = maxRate, Cbr = bitrate == maxRate, AudioBitrateKbps = audio };
        var refusal = OutputPresets.Refusal(preset, encode, secure: false);
        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
        Assert.Null(OutputPresets.Refusal("generic", encode, secure: false));
    }

    [Fact]
    public void A_keyframe_interval_longer_than_the_platform_takes_is_refused() =>
        Assert.Contains("YouTube Live needs a keyframe at least every 4 s; the room's encode has one every 5 s",
            OutputPresets.Refusal("youtube", Default with { KeyframeIntervalSeconds = 5 }, secure: false), StringComparison.Ordinal);
}
