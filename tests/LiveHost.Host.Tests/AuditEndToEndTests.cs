using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Engine.Lines;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests;

/// <summary>The real host writes the audit log into its own livehost.db, and the chain carries on across a restart.</summary>
public sealed class AuditEndToEndTests : IDisposable
{
    private const string ProducerKey = "audit-producer-key-0123456789";
    private const string AdminKey = "audit-admin-key-0123456789abc";
    private readonly string _data = Directory.CreateTempSubdirectory("livehost-audit-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Commands_to_the_real_host_are_audited_in_its_database_and_the_chain_verifies_across_a_restart()
    {
        await using (var before = Server())
        {
            using var producer = Client(before, ProducerKey);
            Assert.Equal(HttpStatusCode.OK, (await producer.PostAsync("/api/rooms/main/pause", null)).StatusCode);
            var hub = await ConnectAsync(before, ProducerKey);
            await hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "Audited line."));
            await hub.DisposeAsync();
        }

        await using var after = Server();
        using var admin = Client(after, AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await Client(after, ProducerKey).PostAsync("/api/rooms/main/resume", null)).StatusCode);
        using var page = JsonDocument.Parse(await admin.GetStringAsync("/api/audit?room=main"));
        using var verify = JsonDocument.Parse(await admin.GetStringAsync("/api/audit/verify"));

        var entries = page.RootElement.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(["1 POST /api/rooms/{room}/pause ok", "2 EnqueueLine ok", "3 POST /api/rooms/{room}/resume ok"],
            entries.Select(e => $"{e.GetProperty("seq").GetInt64()} {e.GetProperty("command").GetString()} {e.GetProperty("result").GetString()}"));
        Assert.All(entries, e => Assert.Equal("producer", e.GetProperty("role").GetString()));
        Assert.Contains("Audited line.", entries[1].GetProperty("arguments").GetString(), StringComparison.Ordinal);
        Assert.Equal(entries[1].GetProperty("hash").GetString(), entries[2].GetProperty("prevHash").GetString());
        Assert.True(verify.RootElement.GetProperty("intact").GetBoolean(), verify.RootElement.GetRawText());
        Assert.Equal(3, verify.RootElement.GetProperty("entries").GetInt64());
        Assert.Equal(entries[2].GetProperty("hash").GetString(), verify.RootElement.GetProperty("head").GetString());
    }

    private WebApplicationFactory<Program> Server()
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Auth:Keys:0:Key", ProducerKey);
            b.UseSetting("Auth:Keys:0:Role", "producer");
            b.UseSetting("Auth:Keys:1:Key", AdminKey);
            b.UseSetting("Auth:Keys:1:Role", "admin");
        });
        _ = factory.Server;
        return factory;
    }

    private static HttpClient Client(WebApplicationFactory<Program> factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<HubConnection> ConnectAsync(WebApplicationFactory<Program> factory, string key)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, "/hubs/control"), o =>
            {
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(key);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
