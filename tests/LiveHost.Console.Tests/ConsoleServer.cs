using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace LiveHost.Console.Tests;

/// <summary>
/// The real host on Kestrel (a browser cannot reach the in-memory test server): room main at 640x360, WebRTC on
/// loopback, one key per role and one whose name is markup. Every log line is captured.
/// </summary>
public class ConsoleServer : IAsyncLifetime
{
    public const string ProducerKey = "console-producer-key-0123456789";
    public const string SellerKey = "console-seller-key-0123456789";
    public const string AdminKey = "console-admin-key-0123456789";
    public const string MarkupKey = "console-markup-key-0123456789";
    public const string Markup = "<img src=x onerror=\"window.__xss=(window.__xss||0)+1;alert(1)\">";

    private string? _data;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public LogCapture Logs { get; } = new();

    /// <summary>Settings a subclass may add (e.g. log levels); applied before start.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>();

    public static IEnumerable<string> Keys => [ProducerKey, SellerKey, AdminKey, MarkupKey];

    public Task InitializeAsync()
    {
        _data = Directory.CreateTempSubdirectory("livehost-console-").FullName;
        var port = FreePort.GetLoopbackTcpPort();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Rooms:main:Width", "640");
            b.UseSetting("Rooms:main:Height", "360");
            b.UseSetting("WebRtc:ConsentTimeoutSeconds", "5");
            // Outputs to a closed loopback port: tests reach nothing but loopback.
            b.UseSetting("Outputs:AllowPrivateNetworks", "true");
            string[][] keys =
            [
                [ProducerKey, "producer", "Pat Producer"],
                [SellerKey, "seller", "Sam Seller"],
                [AdminKey, "admin", "Ada Admin"],
                [MarkupKey, "producer", Markup],
            ];
            for (var i = 0; i < keys.Length; i++)
            {
                b.UseSetting($"Auth:Keys:{i}:Key", keys[i][0]);
                b.UseSetting($"Auth:Keys:{i}:Role", keys[i][1]);
                b.UseSetting($"Auth:Keys:{i}:Name", keys[i][2]);
            }
            foreach (var (key, value) in ExtraSettings) b.UseSetting(key, value);
            b.ConfigureLogging(logging => logging.AddProvider(Logs));
        });
        Factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
        Factory.StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        return Task.CompletedTask;
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The room as the server holds it (GET /api/rooms/main).</summary>
    public async Task<JsonElement> StateAsync()
    {
        using var client = Client(ProducerKey);
        return await client.GetFromJsonAsync<JsonElement>("/api/rooms/main");
    }

    public async Task<string[]> QueuedTextsAsync() =>
        (await StateAsync()).GetProperty("queue").EnumerateArray().Select(l => l.GetProperty("text").GetString()!).ToArray();

    /// <summary>Empties the queue and leaves the room paused or running, whatever the last test did.</summary>
    public async Task ResetAsync(bool paused)
    {
        using var client = Client(ProducerKey);
        (await client.PostAsync("/api/rooms/main/clear", null)).EnsureSuccessStatusCode();
        (await client.PostAsync(paused ? "/api/rooms/main/pause" : "/api/rooms/main/resume", null)).EnsureSuccessStatusCode();
        if ((await StateAsync()).GetProperty("current").ValueKind != JsonValueKind.Null)
        {
            (await client.PostAsync("/api/rooms/main/skip", null)).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_data is not null) Directory.Delete(_data, recursive: true);
    }
}
