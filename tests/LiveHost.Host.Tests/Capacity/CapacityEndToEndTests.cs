using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Host.Capacity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHost.Host.Tests.Capacity;

/// <summary><c>GET /api/capacity</c> and <c>livehost_capacity_*</c> on the real host, with a CPU target any running room is past.</summary>
public sealed class CapacityEndToEndTests : IAsyncLifetime
{
    private const string AdminKey = "capacity-admin-key-0123456789";
    private const string ProducerKey = "capacity-producer-key-0123456789";
    private const string ViewerKey = "capacity-viewer-key-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("livehost-capacity-").FullName;
    private readonly WarningLog _warnings = new();
    private WebApplicationFactory<Program> _host = null!;

    public Task InitializeAsync()
    {
        _host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "180");
            // 0.5% of the machine: the host alone is past it, so every room or output added now must warn.
            b.UseSetting("Capacity:TargetCpuPercent", "0.5");
            b.UseSetting("Capacity:SampleSeconds", "0.2");
            b.UseSetting("Outputs:AllowPrivateNetworks", "true");
            var keys = new[] { (AdminKey, "admin"), (ProducerKey, "producer"), (ViewerKey, "viewer") };
            for (var i = 0; i < keys.Length; i++)
            {
                b.UseSetting($"Auth:Keys:{i}:Key", keys[i].Item1);
                b.UseSetting($"Auth:Keys:{i}:Role", keys[i].Item2);
                b.UseSetting($"Auth:Keys:{i}:Name", "capacity " + keys[i].Item2);
            }
            b.ConfigureLogging(logging => logging.AddProvider(_warnings));
        });
        _ = _host.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private HttpClient Client(string? key)
    {
        var client = _host.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task Only_an_admin_reads_the_capacity()
    {
        using var anonymous = Client(null);
        using var viewer = Client(ViewerKey);
        using var producer = Client(ProducerKey);
        using var admin = Client(AdminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/capacity")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/capacity")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await producer.GetAsync("/api/capacity")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/capacity")).StatusCode);
    }

    [Fact]
    public async Task The_capacity_names_the_running_rooms_their_measured_cost_and_what_fits_and_the_metrics_say_the_same()
    {
        using var admin = Client(AdminKey);
        await _host.Services.GetRequiredService<CapacityMonitor>().FirstSample.WaitAsync(TimeSpan.FromSeconds(60));

        var report = await admin.GetFromJsonAsync<JsonElement>("/api/capacity");

        Assert.Equal(1, report.GetProperty("roomsRunning").GetInt32());
        Assert.Equal(0, report.GetProperty("viewers").GetInt32());
        Assert.Equal(Environment.ProcessorCount, report.GetProperty("cores").GetInt32());
        Assert.Equal(0.5, report.GetProperty("targetCpuPercent").GetDouble());
        Assert.True(report.GetProperty("processCpuCores").GetDouble() > 0);
        Assert.True(report.GetProperty("freeCpuCores").GetDouble() < 0, "the host alone should be past a 0.5% target");
        Assert.True(report.GetProperty("cpuCoresPerViewer").GetDouble() > 0);
        Assert.Equal(0, report.GetProperty("moreViewers").GetInt32());
        var kinds = report.GetProperty("kinds").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!);
        Assert.Equal(["cartoon", "realistic", "lip-synced"], kinds.Keys);
        Assert.Equal(1, kinds["cartoon"].GetProperty("running").GetInt32());
        Assert.True(kinds["cartoon"].GetProperty("cpuCoresPerRoom").GetDouble() > 0);
        Assert.Equal(0, kinds["cartoon"].GetProperty("moreRooms").GetInt32());
        Assert.Equal(JsonValueKind.Null, kinds["realistic"].GetProperty("cpuCoresPerRoom").ValueKind);
        var room = Assert.Single(report.GetProperty("rooms").EnumerateArray());
        Assert.Equal("main", room.GetProperty("room").GetString());
        Assert.Equal("cartoon", room.GetProperty("kind").GetString());
        Assert.Equal(kinds["cartoon"].GetProperty("cpuCoresPerRoom").GetDouble(), room.GetProperty("cpuCores").GetDouble());

        var metrics = await Client(null).GetStringAsync("/metrics");
        Assert.Contains("livehost_capacity_rooms_running{kind=\"cartoon\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("livehost_capacity_room_cpu_cores{kind=\"cartoon\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("livehost_capacity_more_viewers 0", metrics, StringComparison.Ordinal);
        Assert.Contains("livehost_capacity_cpu_cores{scope=\"process\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_room_and_an_output_added_past_the_target_are_made_and_each_logs_a_warning()
    {
        using var admin = Client(AdminKey);
        await _host.Services.GetRequiredService<CapacityMonitor>().FirstSample.WaitAsync(TimeSpan.FromSeconds(60));

        var created = await admin.PutAsJsonAsync("/api/rooms/extra", new { width = 320, height = 180 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(_warnings.Lines, line => line.Contains("Room extra (cartoon", StringComparison.Ordinal) && line.Contains("0.5% CPU target", StringComparison.Ordinal));

        var output = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new { url = "rtmp://127.0.0.1:9/live/capacity" });
        Assert.Equal(HttpStatusCode.Created, output.StatusCode);
        Assert.Contains(_warnings.Lines, line => line.Contains("An output is added to room main", StringComparison.Ordinal));
        Assert.DoesNotContain(_warnings.Lines, line => line.Contains("live/capacity", StringComparison.Ordinal)); // no stream key in logs

        var report = await admin.GetFromJsonAsync<JsonElement>("/api/capacity");
        Assert.Equal(2, report.GetProperty("roomsRunning").GetInt32());
    }

    /// <summary>Keeps every warning the capacity monitor logs (they are written during the request that caused them).</summary>
    private sealed class WarningLog : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName == typeof(CapacityMonitor).FullName ? _lines : null);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string>? lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => lines is not null && logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) lines!.Enqueue(formatter(state, exception));
            }
        }
    }
}
