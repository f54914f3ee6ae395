using System.Collections.Concurrent;
using System.Net.Http.Headers;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port, composed the way the host composes the control plane, over
/// test doubles for the engine side (<see cref="FakeRoomRegistry"/>, <see cref="FakeRoomOutputs"/>, <see cref="FakeEngineHealth"/>).
/// </summary>
public sealed class ControlPlaneTestHost : IAsyncDisposable
{
    public const string ViewerKey = "viewer-key-0123456789abcdef";
    public const string SellerKey = "seller-key-0123456789abcdef";
    public const string ProducerKey = "producer-key-0123456789abcdef";
    public const string AdminKey = "admin-key-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly List<HubConnection> _connections = [];
    private readonly List<HttpClient> _clients = [];

    private ControlPlaneTestHost(WebApplication app, Uri baseAddress, CapturingLoggerProvider logs)
    {
        _app = app;
        BaseAddress = baseAddress;
        Logs = logs;
    }

    public Uri BaseAddress { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public FakeRoomRegistry Rooms => _app.Services.GetRequiredService<FakeRoomRegistry>();

    public FakeEngineHealth Health => _app.Services.GetRequiredService<FakeEngineHealth>();

    public IRoomEventSink Sink => _app.Services.GetRequiredService<IRoomEventSink>();

    public static Dictionary<string, string?> RoleKeys() => new()
    {
        ["Auth:Keys:0:Key"] = ViewerKey, ["Auth:Keys:0:Role"] = "viewer", ["Auth:Keys:0:Name"] = "test viewer",
        ["Auth:Keys:1:Key"] = SellerKey, ["Auth:Keys:1:Role"] = "seller", ["Auth:Keys:1:Name"] = "test seller",
        ["Auth:Keys:2:Key"] = ProducerKey, ["Auth:Keys:2:Role"] = "Producer", ["Auth:Keys:2:Name"] = "test producer",
        ["Auth:Keys:3:Key"] = AdminKey, ["Auth:Keys:3:Role"] = "admin", ["Auth:Keys:3:Name"] = "test admin",
    };

    /// <param name="services">Registrations made after the defaults, so they replace them (e.g. a real room registry).</param>
    public static async Task<ControlPlaneTestHost> StartAsync(Dictionary<string, string?>? configuration = null, string? contentRoot = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = contentRoot ?? AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(configuration ?? RoleKeys());
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);

        builder.Services.AddSingleton<FakeRoomRegistry>();
        builder.Services.AddSingleton<IRoomRegistry>(sp => sp.GetRequiredService<FakeRoomRegistry>());
        builder.Services.AddSingleton<IRoomOutputs, FakeRoomOutputs>();
        builder.Services.AddSingleton<FakeEngineHealth>();
        builder.Services.AddSingleton<IEngineHealth>(sp => sp.GetRequiredService<FakeEngineHealth>());
        builder.Services.AddLiveHostControlPlane(builder.Configuration);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseLiveHostErrorResponses();
        app.MapLiveHostControlPlane();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ControlPlaneTestHost(app, new Uri(address), logs);
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(client);
        return client;
    }

    /// <summary>A started hub connection that authenticates with the given key (null: none).</summary>
    public async Task<HubConnection> ConnectAsync(string? key, Action<HubConnection>? beforeStart = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/control"), options =>
            {
                if (key is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(key);
                }
            })
            .Build();
        _connections.Add(connection);
        beforeStart?.Invoke(connection);
        await connection.StartAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Keeps every log message (and, in <see cref="Entries"/>, its category, level and exception) so tests can check what was (and was not) printed.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<string> Messages => _entries.Select(e => e.Message).ToArray();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);
