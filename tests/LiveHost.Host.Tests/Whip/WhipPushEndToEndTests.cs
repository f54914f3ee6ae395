using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Whip;

/// <summary>
/// The real host pushing room main over WHIP to an aiortc endpoint on loopback (configured as
/// <c>Rooms:main:Outputs:0:Url = http://:TOKEN@127.0.0.1:PORT/whip</c>): the endpoint decodes H.264 and Opus, the
/// output is listed live with its token masked, a killed endpoint restarted on the same port gets the push back, and
/// the output reports its reconnect and bitrate and pauses (DELETE at the endpoint) and resumes like any other kind.
/// </summary>
public sealed class WhipPushEndToEndTests(ITestOutputHelper output)
{
    private const string Token = "whip-bearer-SECRET-0123";
    private const string AdminKey = "whip-admin-key-0123456789";

    [Fact]
    public async Task A_WHIP_output_pushes_decodable_H264_and_Opus_to_an_aiortc_endpoint_and_is_back_within_5_s_of_the_endpoint_restarting()
    {
        var endpoint = await WhipEndpoint.StartAsync(Token);
        var data = Directory.CreateTempSubdirectory("livehost-whip-").FullName;
        var live = new LogSignal();
        try
        {
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            {
                b.ConfigureServices(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(live));
                b.UseSetting("Storage:DataDirectory", data);
                b.UseSetting("Rooms:main:Width", "320");
                b.UseSetting("Rooms:main:Height", "240");
                b.UseSetting("Rooms:main:Outputs:0:Url", $"http://:{Token}@127.0.0.1:{endpoint.Port}/whip");
                b.UseSetting("Outputs:AllowPrivateNetworks", "true");
                b.UseSetting("Auth:Keys:0:Key", AdminKey);
                b.UseSetting("Auth:Keys:0:Role", "admin");
            });
            _ = factory.Server;
            var offer = await endpoint.NextAsync("offer", TimeSpan.FromSeconds(60));
            Assert.True(offer.GetProperty("iceLite").GetBoolean());
            Assert.Equal("actpass", offer.GetProperty("setup").GetString());

            var frames = await endpoint.NextAsync("frames", TimeSpan.FromSeconds(60));
            while (frames.GetProperty("video").GetInt32() < 50) frames = await endpoint.NextAsync("frames", TimeSpan.FromSeconds(30));
            output.WriteLine($"first endpoint: {frames}");
            Assert.Equal(320, frames.GetProperty("width").GetInt32());
            Assert.Equal(240, frames.GetProperty("height").GetInt32());
            Assert.True(frames.GetProperty("audio").GetInt32() > 0, $"no Opus frame decoded: {frames}");
            Assert.Equal(48_000, frames.GetProperty("sampleRate").GetInt32());

            using var admin = factory.CreateClient();
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            var listed = await admin.GetStringAsync("/api/rooms/main/outputs");
            output.WriteLine(listed);
            var whip = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single(o => o.GetProperty("kind").GetString() == "whip");
            Assert.Equal("live", whip.GetProperty("status").GetString());
            Assert.Equal($"http://****@127.0.0.1:{endpoint.Port}/whip", whip.GetProperty("url").GetString());
            Assert.DoesNotContain("SECRET", listed, StringComparison.Ordinal);

            // Killed (no DELETE, no DTLS close) and started again on the same port.
            var liveAgain = live.NextAsync((category, message) => category.EndsWith("WhipOutput", StringComparison.Ordinal)
                && message.Contains("is live", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
            var port = endpoint.Port;
            await endpoint.KillAsync();
            await endpoint.DisposeAsync();
            endpoint = await WhipEndpoint.StartAsync(Token, port);
            var restarted = Stopwatch.StartNew();
            var first = await endpoint.NextAsync("first", TimeSpan.FromSeconds(30));
            restarted.Stop();
            output.WriteLine($"restarted endpoint: first decoded picture {restarted.Elapsed.TotalSeconds:0.00} s after it listened: {first}");
            Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(5), $"the push came back {restarted.Elapsed.TotalSeconds:0.00} s after the endpoint restarted");
            do frames = await endpoint.NextAsync("frames", TimeSpan.FromSeconds(30));
            while (frames.GetProperty("video").GetInt32() < 75);
            output.WriteLine($"restarted endpoint: {frames}");
            Assert.True(frames.GetProperty("audio").GetInt32() > 0, $"no Opus after the restart: {frames}");

            // Supervised like every output: the retry after the restart counts, and while live the bitrate is measured
            // (two "frames" reports, 50 frames at 25 fps, came after the live log: the 1 s window has closed).
            var id = whip.GetProperty("id").GetString();
            await liveAgain;
            var after = frames.GetProperty("video").GetInt32();
            do frames = await endpoint.NextAsync("frames", TimeSpan.FromSeconds(30));
            while (frames.GetProperty("video").GetInt32() < after + 50);
            whip = JsonDocument.Parse(await admin.GetStringAsync("/api/rooms/main/outputs")).RootElement.EnumerateArray().Single();
            output.WriteLine(whip.ToString());
            Assert.Equal("live", whip.GetProperty("status").GetString());
            Assert.True(whip.GetProperty("reconnects").GetInt64() >= 1, whip.ToString());
            Assert.True(whip.GetProperty("bitsPerSecond").GetInt64() > 50_000, whip.ToString());

            // Paused: the session is DELETEd at the endpoint; resumed: a new offer, and pictures again.
            var paused = JsonDocument.Parse(await (await admin.PostAsync($"/api/rooms/main/outputs/{id}/pause", null)).Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("paused", paused.GetProperty("status").GetString());
            output.WriteLine((await endpoint.NextAsync("deleted", TimeSpan.FromSeconds(15))).ToString());
            var resumed = JsonDocument.Parse(await (await admin.PostAsync($"/api/rooms/main/outputs/{id}/resume", null)).Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("connecting", resumed.GetProperty("status").GetString());
            await endpoint.NextAsync("offer", TimeSpan.FromSeconds(30));
            after = frames.GetProperty("video").GetInt32();
            do frames = await endpoint.NextAsync("frames", TimeSpan.FromSeconds(30));
            while (frames.GetProperty("video").GetInt32() < after + 25);

            // Removing the output DELETEs its session at the endpoint.
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/main/outputs/{id}")).StatusCode);
            var deleted = await endpoint.NextAsync("deleted", TimeSpan.FromSeconds(15));
            output.WriteLine(deleted.ToString());
        }
        finally
        {
            await endpoint.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
