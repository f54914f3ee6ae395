using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Engine.Lines;
using LiveHost.Host.Rooms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>Rooms made and removed at run time (<c>PUT/DELETE /api/rooms/{room}</c>) on the real host, across a restart.</summary>
public sealed class RoomAdminEndToEndTests : IAsyncLifetime
{
    private const string AdminKey = "room-admin-key-0123456789";
    private const string ProducerKey = "room-producer-key-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("livehost-room-admin-").FullName;
    private readonly List<WebApplicationFactory<Program>> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private WebApplicationFactory<Program> StartHost()
    {
        var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "180");
            b.UseSetting("RoomAdmin:MaxRooms", "2");
            b.UseSetting("Auth:Keys:0:Key", AdminKey);
            b.UseSetting("Auth:Keys:0:Role", "admin");
            b.UseSetting("Auth:Keys:0:Name", "room admin");
            b.UseSetting("Auth:Keys:1:Key", ProducerKey);
            b.UseSetting("Auth:Keys:1:Role", "producer");
            b.UseSetting("Auth:Keys:1:Name", "room producer");
        });
        _hosts.Add(host);
        _ = host.Server;
        return host;
    }

    private static HttpClient Client(WebApplicationFactory<Program> host, string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task An_admin_makes_a_room_that_speaks_survives_a_restart_and_is_removed_and_capacity_and_bad_settings_are_refused()
    {
        var host = StartHost();
        using var admin = Client(host, AdminKey);
        using var producer = Client(host, ProducerKey);
        var shop = new { language = "zh", width = 320, height = 180, avatar = "cartoon-b", moderation = "review" };

        Assert.Equal(HttpStatusCode.Forbidden, (await producer.PutAsJsonAsync("/api/rooms/shop", shop)).StatusCode);
        var bad = await admin.PutAsJsonAsync("/api/rooms/shop", new { fps = 24, avatar = "cartoon-q" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badText = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Rooms:shop:Fps must be 25 or 30", badText, StringComparison.Ordinal);
        Assert.Contains("Rooms:shop:Avatar", badText, StringComparison.Ordinal);
        var configured = await admin.PutAsJsonAsync("/api/rooms/main", shop);
        Assert.Equal(HttpStatusCode.BadRequest, configured.StatusCode);
        Assert.Contains("configuration", await configured.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await admin.PutAsJsonAsync("/api/rooms/shop", shop);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var state = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("zh", 320, "cartoon-b"), (state.GetProperty("language").GetString(), state.GetProperty("width").GetInt32(), state.GetProperty("presenter").GetString()));

        // The machine's capacity is the configured maximum: main and shop make 2.
        var full = await admin.PutAsJsonAsync("/api/rooms/third", new { });
        Assert.Equal(HttpStatusCode.InsufficientStorage, full.StatusCode);
        Assert.Equal("noCapacity", await CodeOf(full));
        Assert.Equal(["main", "shop"], await RoomsAsync(admin));

        // The new room is live: a line sent to it is spoken there (its LineStarted reaches its subscribers).
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, "/hubs/control"), o =>
            {
                o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(ProducerKey);
            })
            .Build();
        await using (hub)
        {
            var started = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
            hub.On<Line>("LineStarted", l => { if (l.Room == "shop") started.TrySetResult(l); });
            await hub.StartAsync();
            await hub.InvokeAsync<LiveHost.Engine.Rooms.RoomState>("Subscribe", "shop");
            var ticket = await hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest("shop", "欢迎来到直播间"));
            Assert.Equal(ticket.Id, (await started.Task.WaitAsync(TimeSpan.FromSeconds(30))).Id);
        }

        // Persisted: after a restart the room is back with its settings.
        await host.DisposeAsync();
        _hosts.Remove(host);
        var again = StartHost();
        using var admin2 = Client(again, AdminKey);
        Assert.Equal(["main", "shop"], await RoomsAsync(admin2));
        var back = await admin2.GetFromJsonAsync<JsonElement>("/api/rooms/shop");
        Assert.Equal(("zh", "cartoon-b"), (back.GetProperty("language").GetString(), back.GetProperty("presenter").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await admin2.DeleteAsync("/api/rooms/shop")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin2.GetAsync("/api/rooms/shop")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin2.DeleteAsync("/api/rooms/shop")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin2.DeleteAsync("/api/rooms/main")).StatusCode);
        Assert.DoesNotContain("shop", await File.ReadAllTextAsync(Path.Combine(_data, RuntimeRoomStore.FileName)), StringComparison.Ordinal);
        // Removing freed its place: a room can be made again.
        Assert.Equal(HttpStatusCode.Created, (await admin2.PutAsJsonAsync("/api/rooms/third", new { width = 320, height = 180 })).StatusCode);
    }

    private static async Task<string[]> RoomsAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/rooms")).GetProperty("rooms").EnumerateArray().Select(r => r.GetString()!)];
}
