using System.Net.Http.Headers;
using LiveHost.TestSupport;
using LiveHost.WebRtc;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// The real host on Kestrel (a browser cannot reach the in-memory test server), room main at 320x240, WebRTC on a
/// loopback UDP port, with a seller key and a short consent timeout so a vanished viewer is noticed quickly.
/// </summary>
public sealed class WatchServer : IAsyncLifetime
{
    public const string SellerKey = "test-seller-key-0123456789";
    public const string ViewerKey = "test-viewer-key-0123456789";

    private string? _data;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public WebRtcService WebRtc => Factory.Services.GetRequiredService<WebRtcService>();

    /// <summary>Settings each test class may add (e.g. limits); applied before start.</summary>
    public Dictionary<string, string> Settings { get; } = new()
    {
        ["Rooms:main:Width"] = "320",
        ["Rooms:main:Height"] = "240",
        ["WebRtc:ConsentTimeoutSeconds"] = "4",
    };

    /// <summary>Replaces services before start (e.g. the host's clock); null: the host as shipped.</summary>
    public Action<IServiceCollection>? Services { get; set; }

    public Task InitializeAsync()
    {
        _data = Directory.CreateTempSubdirectory("livehost-webrtc-").FullName;
        var port = FreePort.GetLoopbackTcpPort();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            foreach (var (key, value) in Settings) b.UseSetting(key, value);
            b.UseSetting("Auth:Keys:0:Key", SellerKey);
            b.UseSetting("Auth:Keys:0:Role", "seller");
            b.UseSetting("Auth:Keys:0:Name", "test seller");
            b.UseSetting("Auth:Keys:1:Key", ViewerKey);
            b.UseSetting("Auth:Keys:1:Role", "viewer");
            b.UseSetting("Auth:Keys:1:Name", "test viewer");
            if (Services is { } configure) b.ConfigureTestServices(configure);
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

    public async Task DisposeAsync()
    {
        try
        {
            await Factory.DisposeAsync();
        }
        catch (ObjectDisposedException ex)
        {
            throw new InvalidOperationException("stopping the host failed: " + ex, ex);
        }
        if (_data is not null) Directory.Delete(_data, recursive: true);
    }
}
