using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>
/// Avatar actions (issue 13) through the real host: <c>PlayAction</c> on the hub and
/// <c>POST /api/rooms/{room}/actions/{action}</c>, and a line's <c>action</c>, in a room showing the full-body cartoon
/// (<c>main</c>) and one showing the waist-up cartoon, which has no actions (<c>plain</c>). Each action is seen through
/// the room's StateChanged naming it in <c>playingAction</c>, never by waiting a while.
/// </summary>
public sealed class ActionsEndToEndTests(ActionsEndToEndTests.Host host) : IClassFixture<ActionsEndToEndTests.Host>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PlayAction_plays_for_producers_on_the_hub_and_over_REST_refuses_sellers_and_unknown_actions_and_is_audited()
    {
        var (producer, states) = await host.ConnectAsync(Host.ProducerKey);
        var (seller, _) = await host.ConnectAsync(Host.SellerKey);

        var refused = await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<RoomState>("PlayAction", "main", "wave"));
        Assert.Contains("producer", refused.Message, StringComparison.Ordinal);
        var waving = states.WaitAsync(s => s.Room == "main" && s.PlayingAction == "wave");
        var state = await producer.InvokeAsync<RoomState>("PlayAction", "main", "wave");
        Assert.Equal(["wave", "point", "welcome"], state.Actions);
        Assert.Equal("wave", (await waving.WaitAsync(Timeout)).PlayingAction);
        var unknown = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync<RoomState>("PlayAction", "main", "moonwalk"));
        Assert.Contains("use one of wave, point, welcome", unknown.Message, StringComparison.Ordinal);

        using var rest = host.Client(Host.ProducerKey);
        using var sellerRest = host.Client(Host.SellerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await sellerRest.PostAsync("/api/rooms/main/actions/point", null)).StatusCode);
        var pointing = states.WaitAsync(s => s.Room == "main" && s.PlayingAction == "point");
        var ok = await rest.PostAsync("/api/rooms/main/actions/point", null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("point", (await pointing.WaitAsync(Timeout)).PlayingAction);
        var missing = await rest.PostAsync("/api/rooms/main/actions/moonwalk", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unknownAction", problem.GetProperty("code").GetString());
        Assert.Contains("wave, point, welcome", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var none = await rest.PostAsync("/api/rooms/plain/actions/wave", null);
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Equal("noActions", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Empty((await rest.GetFromJsonAsync<RoomState>("/api/rooms/plain", Host.Json))!.Actions);

        using var admin = host.Client(Host.AdminKey);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit?room=main&limit=1000");
        var entries = audit.GetProperty("entries").EnumerateArray()
            .Select(e => (Command: e.GetProperty("command").GetString()!, Arguments: e.GetProperty("arguments").GetString()!, Result: e.GetProperty("result").GetString()!))
            .ToList();
        Assert.Contains(entries, e => e.Command == "PlayAction" && e.Arguments.Contains("wave", StringComparison.Ordinal) && e.Result == "ok");
        Assert.Contains(entries, e => e.Arguments.Contains("moonwalk", StringComparison.Ordinal) && e.Result == "refused: unknownAction");
    }

    [Fact]
    public async Task A_line_with_an_action_plays_it_when_it_starts_and_a_bad_action_is_refused_at_submit_and_queues_nothing()
    {
        var (producer, states) = await host.ConnectAsync(Host.ProducerKey);
        using var rest = host.Client(Host.ProducerKey);
        using var sellerRest = host.Client(Host.SellerKey);

        // The line's action needs the producer's role, like PlayAction.
        var seller = await sellerRest.PostAsJsonAsync("/api/rooms/main/lines", new { text = "hello", action = "welcome" });
        Assert.Equal(HttpStatusCode.Forbidden, seller.StatusCode);
        var bad = await rest.PostAsJsonAsync("/api/rooms/main/lines", new { text = "hello", action = "moonwalk" });
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Equal("unknownAction", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var malformed = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync<LineTicket>("InsertLine", new LineRequest("main", "hello", Action: "Wave Now"), 0));
        Assert.Contains("not an action name", malformed.Message, StringComparison.Ordinal);
        var none = await rest.PostAsJsonAsync("/api/rooms/plain/lines", new { text = "hello", action = "wave" });
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Empty((await rest.GetFromJsonAsync<RoomState>("/api/rooms/main", Host.Json))!.Queue);

        var started = states.WaitAsync(s => s.Room == "main" && s.Current?.Action == "welcome");
        var welcoming = states.WaitAsync(s => s.Room == "main" && s.PlayingAction == "welcome");
        var accepted = await rest.PostAsJsonAsync("/api/rooms/main/lines", new { text = "welcome, everyone", action = "welcome" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var ticket = await accepted.Content.ReadFromJsonAsync<LineTicket>(Host.Json);
        var speaking = await started.WaitAsync(Timeout);
        Assert.Equal(ticket!.Id, speaking.Current!.Id);
        var shown = await welcoming.WaitAsync(Timeout);
        Assert.Equal(ticket.Id, shown.Current?.Id);

        var hubStarted = states.WaitAsync(s => s.Room == "main" && s.Current?.Action == "point" && s.PlayingAction == "point");
        var hubTicket = await producer.InvokeAsync<LineTicket>("InsertLine", new LineRequest("main", "look at this", Action: "point"), 0);
        Assert.Equal(hubTicket.Id, (await hubStarted.WaitAsync(Timeout)).Current!.Id);
    }

    /// <summary>The real host with rooms main (cartoon-fullbody) and plain (cartoon), 320x180, one key per role.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public const string AdminKey = "actions-admin-key-0123456789";
        public const string ProducerKey = "actions-producer-key-0123456789";
        public const string SellerKey = "actions-seller-key-0123456789";
        public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
        private readonly string _data = Directory.CreateTempSubdirectory("livehost-actions-").FullName;
        private readonly List<HubConnection> _connections = [];
        private WebApplicationFactory<Program> _factory = null!;

        public Task InitializeAsync()
        {
            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            {
                b.UseSetting("Storage:DataDirectory", _data);
                foreach (var (room, avatar) in new[] { ("main", "cartoon-fullbody"), ("plain", "cartoon") })
                {
                    b.UseSetting($"Rooms:{room}:Width", "320");
                    b.UseSetting($"Rooms:{room}:Height", "180");
                    b.UseSetting($"Rooms:{room}:Avatar", avatar);
                }
                var keys = new[] { (AdminKey, "admin"), (ProducerKey, "producer"), (SellerKey, "seller") };
                for (var i = 0; i < keys.Length; i++)
                {
                    b.UseSetting($"Auth:Keys:{i}:Key", keys[i].Item1);
                    b.UseSetting($"Auth:Keys:{i}:Role", keys[i].Item2);
                    b.UseSetting($"Auth:Keys:{i}:Name", "actions " + keys[i].Item2);
                }
            });
            _ = _factory.Server;
            return Task.CompletedTask;
        }

        public HttpClient Client(string key)
        {
            var client = _factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }

        /// <summary>A started hub connection (long polling over the test server) and the StateChanged events it receives.</summary>
        public async Task<(HubConnection Hub, StateStream States)> ConnectAsync(string key)
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(_factory.Server.BaseAddress, "/hubs/control"), o =>
                {
                    o.HttpMessageHandlerFactory = _ => _factory.Server.CreateHandler();
                    o.Transports = HttpTransportType.LongPolling;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(key);
                })
                .Build();
            var states = new StateStream();
            hub.On<RoomState>("StateChanged", states.Add);
            _connections.Add(hub);
            await hub.StartAsync();
            return (hub, states);
        }

        public async Task DisposeAsync()
        {
            foreach (var connection in _connections) await connection.DisposeAsync();
            await _factory.DisposeAsync();
            try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Waits for the first StateChanged, from the moment of asking, that matches.</summary>
    public sealed class StateStream
    {
        private readonly Lock _gate = new();
        private readonly List<(Func<RoomState, bool> Match, TaskCompletionSource<RoomState> Done)> _waiting = [];

        public void Add(RoomState state)
        {
            lock (_gate)
            {
                foreach (var waiter in _waiting.Where(w => w.Match(state)).ToArray())
                {
                    waiter.Done.TrySetResult(state);
                    _waiting.Remove(waiter);
                }
            }
        }

        public Task<RoomState> WaitAsync(Func<RoomState, bool> match)
        {
            var done = new TaskCompletionSource<RoomState>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate) _waiting.Add((match, done));
            return done.Task;
        }
    }
}
