using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests;

/// <summary>
/// The real host (Program, every real part) at 320x240, pushing room main to an nginx-rtmp started on loopback,
/// with one key per role. Shared by a test class: starting nginx, ffmpeg and espeak once keeps the suite quick.
/// </summary>
public sealed class LiveHostServer : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string ProducerKey = "test-producer-key-0123456789";
    public const string SellerKey = "test-seller-key-0123456789";
    public const string ViewerKey = "test-viewer-key-0123456789";

    private readonly List<HubConnection> _connections = [];
    private WebApplicationFactory<Program>? _factory;
    private string? _data;

    public NginxRtmpServer Nginx { get; private set; } = null!;
    public WebApplicationFactory<Program> Factory => _factory!;
    public string StreamUrl => Nginx.RtmpUrl("main");

    public async Task InitializeAsync()
    {
        Nginx = await NginxRtmpServer.StartNewAsync();
        _data = Directory.CreateTempSubdirectory("livehost-host-").FullName;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Rooms:main:Outputs:0:Url", StreamUrl);
            // nginx listens on loopback, which outputs may reach only when private networks are allowed.
            b.UseSetting("Outputs:AllowPrivateNetworks", "true");
            var keys = new[] { (AdminKey, "admin"), (ProducerKey, "producer"), (SellerKey, "seller"), (ViewerKey, "viewer") };
            for (var i = 0; i < keys.Length; i++)
            {
                b.UseSetting($"Auth:Keys:{i}:Key", keys[i].Item1);
                b.UseSetting($"Auth:Keys:{i}:Role", keys[i].Item2);
                b.UseSetting($"Auth:Keys:{i}:Name", "test " + keys[i].Item2);
            }
        });
        _ = _factory.Server;
        await WaitForOutputLiveAsync(TimeSpan.FromSeconds(20));
    }

    public HttpClient Client(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A started hub connection over the test server (long polling: the in-memory server has no sockets).</summary>
    public async Task<HubConnection> ConnectAsync(string key, Action<HubConnection>? beforeStart = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Factory.Server.BaseAddress, "/hubs/control"), options =>
            {
                options.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                options.AccessTokenProvider = () => Task.FromResult<string?>(key);
            })
            .Build();
        _connections.Add(connection);
        beforeStart?.Invoke(connection);
        await connection.StartAsync();
        return connection;
    }

    public async Task<string> OutputStatusAsync()
    {
        using var client = Client(AdminKey);
        var outputs = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/rooms/main/outputs");
        return outputs[0].GetProperty("status").GetString() ?? "";
    }

    public async Task WaitForOutputStatusAsync(Func<string, bool> predicate, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var status = "";
        while (DateTime.UtcNow < deadline)
        {
            status = await OutputStatusAsync();
            if (predicate(status)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"output did not become {what} within {timeout.TotalSeconds} s (status: {status})");
    }

    public Task WaitForOutputLiveAsync(TimeSpan timeout) => WaitForOutputStatusAsync(s => s == "live", timeout, "live");

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
        if (_factory is not null) await _factory.DisposeAsync();
        await Nginx.DisposeAsync();
        if (_data is not null) Directory.Delete(_data, recursive: true);
    }
}
