using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveHost.Host.Tests;

/// <summary>Outputs added over REST: the network policy and masking as a client sees them.</summary>
public sealed partial class LiveHostEndToEndTests
{
    [Theory]
    [InlineData("rtmp://169.254.169.254/latest/meta-data", "cloud metadata service address")]
    [InlineData("rtmp://[::ffff:169.254.169.254]:80/app/key", "cloud metadata service address")]
    [InlineData("rtmp://224.0.0.1/app/key", "multicast address")]
    [InlineData("https://:token@169.254.169.254/whip", "cloud metadata service address")]
    public async Task Adding_an_output_to_a_refused_address_is_a_400_that_says_why_and_adds_nothing(string url, string reason)
    {
        using var admin = server.Client(LiveHostServer.AdminKey);
        var before = await OutputManagementEndToEndTests.OutputIdsAsync(admin);

        using var response = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new { url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("invalidInput", problem.GetProperty("code").GetString());
        Assert.Equal(before, await OutputManagementEndToEndTests.OutputIdsAsync(admin));
    }

    [Fact]
    public async Task An_added_output_shows_its_url_with_every_secret_masked()
    {
        using var admin = server.Client(LiveHostServer.AdminKey);
        var url = $"rtmp://127.0.0.1:{server.Nginx.Port}/live?auth=APPSECRET/streamkey-SECRET?token=KEYSECRET";

        using var added = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new { url });
        var body = await added.Content.ReadAsStringAsync();
        var listed = await admin.GetStringAsync("/api/rooms/main/outputs");
        var state = await admin.GetStringAsync("/api/rooms/main");
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/main/outputs/{id}")).StatusCode);

        Assert.Contains($"\"url\":\"rtmp://127.0.0.1:{server.Nginx.Port}/live?auth=****/****\"", body, StringComparison.Ordinal);
        foreach (var text in new[] { body, listed, state })
        {
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        }
    }
}
