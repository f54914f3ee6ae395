using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Whip;

/// <summary>
/// WHIP push through a TURN relay: the real host, a real coturn on 127.0.0.1 (as the output's own <c>iceServers</c>, or
/// in <c>WebRtc:IceServers</c>), and the aiortc endpoint. The host candidate is made unreachable (<c>WebRtc:AnnouncedAddress</c> 127.0.0.2, where
/// nothing listens), so media can only arrive through coturn's relay; wrong credentials end in a clear last error.
/// </summary>
public sealed partial class WhipIceServerTests(ITestOutputHelper output)
{
    private const string Token = "whip-relay-TOKEN-4242";
    private const string AdminKey = "whip-relay-admin-key-0123456789";
    private const string TurnUser = "livehost";
    private const string TurnPassword = "turn-password-8656";

    [Fact]
    public async Task With_the_host_candidate_unreachable_a_WHIP_push_reaches_the_endpoint_through_the_TURN_relay()
    {
        await using var coturn = await CoturnServer.StartAsync(TurnUser, TurnPassword);
        await using var endpoint = await WhipEndpoint.StartAsync(Token);
        var data = Directory.CreateTempSubdirectory("livehost-whip-turn-").FullName;
        try
        {
            await using (var factory = Host(data, endpoint, coturn, turnCredential: null, new LogSignal()))
            {
                // Added over REST with its own ICE server (the server has none configured) and its token as bearerToken.
                using var admin = Admin(factory);
                using var added = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new
                {
                    url = $"http://127.0.0.1:{endpoint.Port}/whip",
                    bearerToken = Token,
                    iceServers = new[] { new { urls = new[] { coturn.TurnUrl }, username = TurnUser, credential = TurnPassword } },
                });
                var body = await added.Content.ReadAsStringAsync();
                Assert.True(added.IsSuccessStatusCode, body);
                Assert.DoesNotContain(TurnPassword, body, StringComparison.Ordinal);
                Assert.DoesNotContain(Token, body, StringComparison.Ordinal);
                var offer = await endpoint.NextAsync("offer", TimeSpan.FromSeconds(60));
                output.WriteLine(offer.ToString());
                Assert.Equal(["host", "relay"], offer.GetProperty("candidates").EnumerateArray().Select(c => c.GetString() ?? "").ToArray());
                await coturn.WaitForLineAsync(l => l.Contains($"username=<{TurnUser}>", StringComparison.Ordinal) && l.Contains("new", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(10));

                var frames = await endpoint.NextAsync("frames", TimeSpan.FromSeconds(60));
                while (frames.GetProperty("video").GetInt32() < 50) frames = await endpoint.NextAsync("frames", TimeSpan.FromSeconds(30));
                output.WriteLine(frames.ToString());
                Assert.True(frames.GetProperty("audio").GetInt32() > 0, $"no Opus frame decoded: {frames}");

                var whip = JsonDocument.Parse(await admin.GetStringAsync("/api/rooms/main/outputs")).RootElement.EnumerateArray().Single();
                Assert.Equal("live", whip.GetProperty("status").GetString());
            }

            // The output stopped with the host, releasing its allocation; coturn's usage line counts what LiveHost sent
            // through the relay (rp/rb: received from the TURN client, i.e. the media for the endpoint).
            var usage = await coturn.WaitForLineAsync(l => l.Contains("usage:", StringComparison.Ordinal) && l.Contains($"username=<{TurnUser}>", StringComparison.Ordinal)
                && RelayedBytes(l) > 100_000, TimeSpan.FromSeconds(15));
            output.WriteLine(usage);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Wrong_TURN_credentials_give_a_last_error_naming_the_server_and_the_refused_user_and_never_the_secrets()
    {
        await using var coturn = await CoturnServer.StartAsync(TurnUser, TurnPassword);
        await using var endpoint = await WhipEndpoint.StartAsync(Token);
        var data = Directory.CreateTempSubdirectory("livehost-whip-turn-").FullName;
        var logs = new LogSignal();
        try
        {
            var retrying = logs.NextAsync((category, message) => category.EndsWith("WhipOutput", StringComparison.Ordinal) && message.Contains("retrying", StringComparison.OrdinalIgnoreCase)
                && message.Contains("refused the credentials", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            await using var factory = Host(data, endpoint, coturn, "not-the-password", logs);
            _ = factory.Server;
            output.WriteLine(await retrying);

            using var admin = Admin(factory);
            var listed = await admin.GetStringAsync("/api/rooms/main/outputs");
            output.WriteLine(listed);
            var whip = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single();
            Assert.NotEqual("live", whip.GetProperty("status").GetString());
            var lastError = whip.GetProperty("lastError").GetString() ?? "";
            Assert.Contains($"turn:127.0.0.1:{coturn.Port}", lastError, StringComparison.Ordinal);
            Assert.Contains($"refused the credentials of user '{TurnUser}' (401", lastError, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", listed, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, listed, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The host; with <paramref name="turnCredential"/>, room main pushes to the endpoint from configuration with coturn in <c>WebRtc:IceServers</c>.</summary>
    private static WebApplicationFactory<Program> Host(string data, WhipEndpoint endpoint, CoturnServer coturn, string? turnCredential, LogSignal logs) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Outputs:AllowPrivateNetworks", "true");
            // Nothing listens on 127.0.0.2: the host candidate fails, only the relay candidate can work.
            b.UseSetting("WebRtc:AnnouncedAddress", "127.0.0.2");
            b.UseSetting("WebRtc:HandshakeTimeoutSeconds", "3");
            if (turnCredential is not null)
            {
                b.UseSetting("Rooms:main:Outputs:0:Url", $"http://127.0.0.1:{endpoint.Port}/whip");
                b.UseSetting("Rooms:main:Outputs:0:BearerToken", Token);
                b.UseSetting("WebRtc:IceServers:0:Urls:0", coturn.TurnUrl);
                b.UseSetting("WebRtc:IceServers:0:Username", TurnUser);
                b.UseSetting("WebRtc:IceServers:0:Credential", turnCredential);
            }
            b.UseSetting("Auth:Keys:0:Key", AdminKey);
            b.UseSetting("Auth:Keys:0:Role", "admin");
            b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs));
        });

    private static HttpClient Admin(WebApplicationFactory<Program> factory)
    {
        var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return admin;
    }

    private static long RelayedBytes(string usage) =>
        ReceivedBytes().Match(usage) is { Success: true } m ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"\brb=(\d+)")]
    private static partial Regex ReceivedBytes();
}
