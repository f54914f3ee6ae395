using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

public sealed class RestApiTests : IAsyncLifetime
{
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Seller_posting_a_line_gets_202_with_ticket_and_location_and_the_room_receives_it()
    {
        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = "hello there", language = "zh", tag = "promo" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/api/rooms/main", response.Headers.Location?.OriginalString);
        using var ticket = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("main-1", ticket.RootElement.GetProperty("id").GetString());
        Assert.Equal("main", ticket.RootElement.GetProperty("room").GetString());
        Assert.Equal(1, ticket.RootElement.GetProperty("position").GetInt32());
        Assert.Equal(["enqueue:hello there"], _host.Rooms["main"].Accepted);
        Assert.Equal("promo", _host.Rooms["main"].Requests[0].Tag);
        Assert.Equal("zh", _host.Rooms["main"].Requests[0].Language);
    }

    [Fact]
    public async Task The_room_in_the_path_wins_over_the_room_in_the_body()
    {
        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/studio-b/lines", new { room = "main", text = "for b" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(_host.Rooms["main"].Accepted);
        Assert.Equal(["enqueue:for b"], _host.Rooms["studio-b"].Accepted);
        Assert.Equal("studio-b", _host.Rooms["studio-b"].Requests[0].Room);
    }

    [Fact]
    public async Task Viewer_gets_room_state_as_camel_case_json_with_lowercase_enums()
    {
        await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = "queued one" });

        var json = await _host.Client(ViewerKey).GetStringAsync("/api/rooms/main");

        using var state = JsonDocument.Parse(json);
        Assert.Equal("main", state.RootElement.GetProperty("room").GetString());
        Assert.Equal("idle", state.RootElement.GetProperty("activity").GetString());
        var queued = state.RootElement.GetProperty("queue")[0];
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal("queued one", queued.GetProperty("text").GetString());
        Assert.Equal("o1", state.RootElement.GetProperty("outputs")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Viewer_lists_the_room_names()
    {
        var json = await _host.Client(ViewerKey).GetStringAsync("/api/rooms");

        using var list = JsonDocument.Parse(json);
        var names = list.RootElement.GetProperty("rooms").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["main", "studio-b"], names);
    }

    [Fact]
    public async Task Producer_commands_reach_the_named_room_and_return_its_state()
    {
        var producer = _host.Client(ProducerKey);

        var cue = await producer.PostAsJsonAsync("/api/rooms/studio-b/cue", new { text = "breaking" });
        var pause = await producer.PostAsync("/api/rooms/studio-b/pause", null);
        var pausedState = await pause.Content.ReadAsStringAsync();
        foreach (var command in new[] { "skip", "resume", "clear" })
        {
            Assert.Equal(HttpStatusCode.OK, (await producer.PostAsync($"/api/rooms/studio-b/{command}", null)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, cue.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Contains("\"paused\":true", pausedState, StringComparison.Ordinal);
        Assert.Equal(["cue:breaking", "pause", "skip", "resume", "clear"], _host.Rooms["studio-b"].Accepted);
        Assert.Empty(_host.Rooms["main"].Accepted);
    }

    [Fact]
    public async Task No_key_is_401_and_an_unknown_key_is_401_with_a_message()
    {
        var none = await _host.Client(null).GetAsync("/api/rooms/main");
        var wrong = await _host.Client("not-a-real-key-at-all").GetAsync("/api/rooms/main");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("API key is required", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Bearer", wrong.Headers.WwwAuthenticate.First().Scheme);
    }

    [Theory]
    [InlineData(ViewerKey, "POST", "/api/rooms/main/lines", "{\"text\":\"hi\"}", "this needs the seller role; your key has viewer")]
    [InlineData(SellerKey, "POST", "/api/rooms/main/cue", "{\"text\":\"hi\"}", "this needs the producer role; your key has seller")]
    [InlineData(SellerKey, "POST", "/api/rooms/main/skip", null, "this needs the producer role; your key has seller")]
    [InlineData(ViewerKey, "GET", "/api/rooms/main/outputs", null, "this needs the producer role; your key has viewer")]
    [InlineData(ProducerKey, "POST", "/api/rooms/main/outputs", "{\"url\":\"rtmp://127.0.0.1/live/k\"}", "this needs the admin role; your key has producer")]
    [InlineData(ProducerKey, "DELETE", "/api/rooms/main/outputs/out-1", null, "this needs the admin role; your key has producer")]
    public async Task A_call_above_the_callers_role_is_403_naming_the_missing_role(string key, string method, string path, string? body, string message)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await _host.Client(key).SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(_host.Rooms.Rooms, room => Assert.Empty(room.Accepted));
    }

    [Fact]
    public async Task Admin_adds_lists_and_removes_an_output()
    {
        var admin = _host.Client(AdminKey);

        var added = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new { url = "rtmp://127.0.0.1:1935/live/stream" });
        var listed = await _host.Client(ProducerKey).GetStringAsync("/api/rooms/main/outputs");
        var removed = await admin.DeleteAsync("/api/rooms/main/outputs/out-1");
        var removedAgain = await admin.DeleteAsync("/api/rooms/main/outputs/out-1");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("/api/rooms/main/outputs/out-1", added.Headers.Location?.OriginalString);
        Assert.Contains("\"url\":\"rtmp://127.0.0.1:1935/live/stream\"", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"id\":\"out-1\"", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        Assert.Contains("has no output 'out-1'", await removedAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"url\":\"http://example.invalid/x\"}", "is not an rtmp://")]
    [InlineData("{\"url\":\"\"}", "the url is required")]
    [InlineData("{}", "is required")]
    public async Task Adding_an_output_with_a_bad_url_is_400_with_the_reason(string body, string message)
    {
        var response = await _host.Client(AdminKey).PostAsync("/api/rooms/main/outputs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_host.Services.GetRequiredServiceOf<IRoomOutputs>().List("main"));
    }

    [Theory]
    [InlineData("GET", "/api/rooms/nope")]
    [InlineData("POST", "/api/rooms/nope/lines")]
    [InlineData("POST", "/api/rooms/nope/skip")]
    [InlineData("GET", "/api/rooms/nope/outputs")]
    public async Task An_unknown_room_is_404_naming_it(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{\"text\":\"hi\"}", Encoding.UTF8, "application/json");
        }

        var response = await _host.Client(AdminKey).SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown room 'nope'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"text\":\"\"}", "text is empty")]
    [InlineData("{\"text\":\"   \"}", "text is empty")]
    [InlineData("{\"language\":\"en\"}", "text is empty")]
    [InlineData("{\"text\":\"bonjour\",\"language\":\"fr\"}", "unknown language 'fr'")]
    public async Task Bad_input_is_400_with_the_rooms_message_and_changes_nothing(string body, string message)
    {
        var response = await _host.Client(SellerKey).PostAsync("/api/rooms/main/lines", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_host.Rooms["main"].Accepted);
        Assert.Empty(_host.Rooms["main"].GetState().Queue);
    }

    [Fact]
    public async Task Text_over_5000_characters_is_400_and_changes_nothing()
    {
        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = new string('a', 5001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the limit is 5000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_host.Rooms["main"].Accepted);
    }

    [Theory]
    [InlineData("{\"text\": \"unterminated")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"text\": 42}")]
    public async Task A_malformed_body_is_400_with_a_clear_message_never_500(string body)
    {
        var response = await _host.Client(SellerKey).PostAsync("/api/rooms/main/lines", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.True(problem.Contains("not valid JSON", StringComparison.Ordinal) || problem.Contains("a JSON body is required", StringComparison.Ordinal), problem);
        Assert.Empty(_host.Rooms["main"].Accepted);
    }
}
