using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.Host.Tests.Storage;

/// <summary>
/// The real host (Program) on <c>Storage:Provider=postgres</c>, against a PostgreSQL of the test's own on loopback:
/// what one host accepted, a second host with another data folder finds in the database; and PostgreSQL going down
/// makes commands refused with 503 <c>storageFailed</c> while the server keeps answering, until it comes back.
/// </summary>
public sealed class PostgresHostTests(PostgresHostTests.Server server) : IAsyncLifetime, IClassFixture<PostgresHostTests.Server>
{
    private const string AdminKey = "pg-admin-key-0123456789";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly List<string> _folders = [];
    private PostgresServer? _postgres;
    private string _connectionString = "";

    /// <summary>One PostgreSQL for the class (its tests run one after another); each test has a database of its own.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public PostgresServer? Postgres { get; private set; }

        public async Task InitializeAsync()
        {
            if (PostgresServer.MissingReason is null) Postgres = await PostgresServer.StartNewAsync();
        }

        public async Task DisposeAsync()
        {
            if (Postgres is not null) await Postgres.DisposeAsync();
        }
    }

    public async Task InitializeAsync()
    {
        _postgres = server.Postgres;
        if (_postgres is null) return;
        _connectionString = _postgres.ConnectionString(await _postgres.CreateDatabaseAsync());
    }

    public Task DisposeAsync()
    {
        foreach (var folder in _folders) Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task Lines_scripts_products_and_terms_one_host_accepted_are_found_by_a_second_host_on_the_same_database()
    {
        string lineId;
        await using (var first = Host())
        {
            using var client = Client(first);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/rooms/main/pause", null)).StatusCode);
            var line = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "Kept in PostgreSQL while the room is paused." });
            Assert.Equal(HttpStatusCode.Accepted, line.StatusCode);
            lineId = (await line.Content.ReadFromJsonAsync<LineTicket>())!.Id;
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scripts", new { name = "Ad", lines = new[] { new { text = "Buy the mug." } } })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/products", new { name = "保温杯", price = 199, currency = "CNY", bullets = new[] { "12 h hot" } })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/moderation/terms/en", new { blocked = new[] { "miracle cure" } })).StatusCode);
        }

        await using var second = Host();
        using var again = Client(second);
        var state = (await again.GetFromJsonAsync<RoomState>("/api/rooms/main"))!;
        Assert.True(state.Paused);
        Assert.Equal(lineId, Assert.Single(state.Queue).Id);
        var scripts = await again.GetFromJsonAsync<JsonElement>("/api/scripts");
        Assert.Equal("Ad", Assert.Single(scripts.GetProperty("scripts").EnumerateArray()).GetProperty("name").GetString());
        var products = await again.GetFromJsonAsync<JsonElement>("/api/products");
        var product = Assert.Single(products.GetProperty("products").EnumerateArray());
        Assert.Equal(("保温杯", 199m), (product.GetProperty("name").GetString(), product.GetProperty("price").GetDecimal()));
        var terms = await again.GetFromJsonAsync<JsonElement>("/api/moderation/terms");
        var english = terms.GetProperty("lists").EnumerateArray().Single(l => l.GetProperty("language").GetString() == "en");
        Assert.Equal(["miracle cure"], english.GetProperty("blocked").EnumerateArray().Select(t => t.GetString()));
        // The first host's commands are in the shared audit log, chained and intact.
        var audit = await again.GetFromJsonAsync<JsonElement>("/api/audit?after=0");
        Assert.Equal(["/api/rooms/main/pause", "/api/rooms/main/lines", "/api/scripts", "/api/products", "/api/moderation/terms/en"],
            audit.GetProperty("entries").EnumerateArray().Select(e => JsonDocument.Parse(e.GetProperty("arguments").GetString()!).RootElement.GetProperty("path").GetString()));
        Assert.True((await again.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("intact").GetBoolean());
    }

    [PostgresFact]
    public async Task While_PostgreSQL_is_down_commands_are_refused_with_503_storageFailed_the_server_keeps_answering_and_recovers_when_it_is_back()
    {
        await using var host = Host();
        using var client = Client(host);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/rooms/main/pause", null)).StatusCode);
        var journal = host.Services.GetRequiredService<StorageJournal>();

        await _postgres!.StopAsync();

        var line = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "Refused while the database is down." });
        await AssertStorageFailedAsync(line);
        await AssertStorageFailedAsync(await client.PostAsJsonAsync("/api/products", new { name = "mug", price = 1, currency = "EUR" }));
        // The server itself still answers: its state from memory, and a health check that names the failing storage.
        Assert.True((await client.GetFromJsonAsync<RoomState>("/api/rooms/main"))!.Paused);
        var health = await client.GetAsync("/healthz");
        Assert.Contains("PostgreSQL at 127.0.0.1", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Back: the journal's probe finds it (health recovers with no command sent), then commands are accepted again.
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        journal.StatusChanged += status => { if (!status.Failing) recovered.TrySetResult(); };
        Assert.True(journal.Status.Failing);
        await _postgres.StartAsync();
        await recovered.Task.WaitAsync(Timeout);

        var accepted = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "Accepted once it is back." });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<LineTicket>())!.Id;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/products", new { name = "mug", price = 1, currency = "EUR" })).StatusCode);
        Assert.Equal(id, Assert.Single((await client.GetFromJsonAsync<RoomState>("/api/rooms/main"))!.Queue).Id);
        // The refused line is in the audit log, written once the database came back (the product, refused before it ran
        // because that entry was still held, is not), and the chain holds.
        var verify = await client.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean());
        var results = (await client.GetFromJsonAsync<JsonElement>("/api/audit?after=0")).GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("result").GetString());
        Assert.Equal(["ok", "refused: storageFailed", "ok", "ok"], results);
    }

    private static async Task AssertStorageFailedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("storageFailed", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private WebApplicationFactory<Program> Host()
    {
        var data = Directory.CreateTempSubdirectory("livehost-pg-host-").FullName;
        _folders.Add(data);
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:Provider", "postgres");
            b.UseSetting("Storage:ConnectionString", _connectionString);
            // Each host has a data folder of its own: whatever the second one finds came from the database.
            b.UseSetting("Storage:DataDirectory", data);
            b.UseSetting("Storage:RetryInterval", "00:00:00.200");
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Auth:Keys:0:Key", AdminKey);
            b.UseSetting("Auth:Keys:0:Role", "admin");
            b.UseSetting("Auth:Keys:0:Name", "pg admin");
        });
        _ = factory.Server;
        return factory;
    }

    private static HttpClient Client(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }
}
