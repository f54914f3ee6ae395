using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using LiveHost.ControlPlane;
using LiveHost.Engine.Lines;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveHost.Perf.Hub;

/// <summary>
/// Does a client that stops reading delay everyone else's hub events? The real host on a loopback port; per run,
/// N raw SignalR clients that stop reading after the handshake, one healthy viewer whose LineQueued events are timed,
/// and a producer enqueueing lines over the hub as fast as the viewer sees them.
/// </summary>
public sealed partial class SlowClientsCommand : IBenchmarkCommand
{
    private const string ProducerKey = "perf-producer-key-0123456789";
    private const string ViewerKey = "perf-viewer-key-0123456789ab";

    public string Name => "hub-slow-clients";
    public string Summary => "hub event latency for a healthy client while N clients stop reading (they must be dropped, not wait on)";
    public string Usage => SlowClientsOptions.Usage;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var options = SlowClientsOptions.From(arguments);
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        var loadBefore = ProcFs.LoadAverage();
        Console.WriteLine($"hub-slow-clients: stalled {string.Join(",", options.Stalled)}, {options.Lines} lines of {options.TextChars} chars, on {machine.CpuModel} ({machine.LogicalCores} cores), load {loadBefore:0.0}");

        var samples = new List<SlowClientsSample>();
        SlowClientOptions? bounds = null;
        foreach (var stalled in options.Stalled)
        {
            var data = Directory.CreateTempSubdirectory("livehost-hub-");
            try
            {
                await using var factory = CreateHost(data.FullName, options.StockManager, out var port);
                factory.StartServer();
                bounds = factory.Services.GetRequiredService<IOptions<SlowClientOptions>>().Value;
                var sample = await MeasureAsync(new Uri($"http://127.0.0.1:{port}"), stalled, options, cancellationToken);
                samples.Add(sample);
                Console.WriteLine(SlowClientsReport.Row(sample));
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { data.Delete(recursive: true); } catch (IOException) { }
            }
        }

        var result = new SlowClientsResult(startedAt, options, machine, bounds!.MaxBufferBytes, bounds.MaxSendDelay, loadBefore, samples);
        var (markdown, json) = await SlowClientsReport.WriteAsync(result, cancellationToken);
        Console.WriteLine();
        Console.Write(SlowClientsReport.Summary(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    private static WebApplicationFactory<LiveRooms> CreateHost(string dataDirectory, bool stockManager, out int port)
    {
        var chosen = InProcessHost.FreeTcpPort();
        port = chosen;
        var factory = new WebApplicationFactory<LiveRooms>().WithWebHostBuilder(b =>
        {
            b.UseContentRoot(InProcessHost.HostContentRoot());
            b.UseSetting("Storage:DataDirectory", dataDirectory);
            b.UseSetting("Rooms:main:Width", "640");
            b.UseSetting("Rooms:main:Height", "360");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Auth:Keys:0:Key", ProducerKey);
            b.UseSetting("Auth:Keys:0:Role", "producer");
            b.UseSetting("Auth:Keys:0:Name", "perf producer");
            b.UseSetting("Auth:Keys:1:Key", ViewerKey);
            b.UseSetting("Auth:Keys:1:Role", "viewer");
            b.UseSetting("Auth:Keys:1:Name", "perf viewer");
            if (stockManager)
            {
                b.ConfigureTestServices(s => s.AddSingleton<HubLifetimeManager<ControlHub>, DefaultHubLifetimeManager<ControlHub>>());
            }
        });
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, chosen));
        return factory;
    }

    private static async Task<SlowClientsSample> MeasureAsync(Uri baseAddress, int stalledCount, SlowClientsOptions options, CancellationToken cancellationToken)
    {
        await using var producer = await ConnectAsync(baseAddress, ProducerKey, null, cancellationToken);
        await producer.InvokeAsync("Pause", "main", cancellationToken);

        var arrivals = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        TaskCompletionSource<long> Arrival(string id) => arrivals.GetOrAdd(id, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        await using var healthy = await ConnectAsync(baseAddress, ViewerKey,
            c => c.On<Line>("LineQueued", line => Arrival(line.Id).TrySetResult(Stopwatch.GetTimestamp())), cancellationToken);

        var stalled = new List<StalledHubClient>();
        try
        {
            for (var i = 0; i < stalledCount; i++) stalled.Add(await StalledHubClient.ConnectAsync(baseAddress, ViewerKey, cancellationToken));

            var latencies = new List<double>(options.Lines);
            var random = new Random(7);
            var (busy0, total0) = ProcFs.MachineCpu();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.Lines; i++)
            {
                if (i > 0 && i % options.ClearEvery == 0) await producer.InvokeAsync("ClearQueue", "main", cancellationToken);
                var text = Text(random, options.TextChars);
                var sentAt = Stopwatch.GetTimestamp();
                var ticket = await producer.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest("main", text, "en"), cancellationToken);
                var arrivedAt = await Arrival(ticket.Id).Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                arrivals.TryRemove(ticket.Id, out _);
                latencies.Add(Stopwatch.GetElapsedTime(sentAt, arrivedAt).TotalMilliseconds);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var (busy1, total1) = ProcFs.MachineCpu();
            var busyCores = total1 > total0 ? (double)(busy1 - busy0) / (total1 - total0) * Environment.ProcessorCount : double.NaN;
            var load = ProcFs.LoadAverage();

            var (buffer, delay) = await DroppedAsync(baseAddress, cancellationToken);
            var sorted = latencies.Order().ToArray();
            var p99 = sorted[Math.Clamp((int)Math.Ceiling(sorted.Length * 0.99) - 1, 0, sorted.Length - 1)];
            return new SlowClientsSample(stalledCount, Distribution.Of(latencies), p99, (int)(buffer + delay), buffer, delay, seconds, busyCores, load, latencies);
        }
        finally
        {
            foreach (var client in stalled) await client.DisposeAsync();
        }
    }

    private static async Task<HubConnection> ConnectAsync(Uri baseAddress, string key, Action<HubConnection>? beforeStart, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/control"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .Build();
        beforeStart?.Invoke(connection);
        await connection.StartAsync(cancellationToken);
        return connection;
    }

    private static async Task<(double Buffer, double Delay)> DroppedAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        double Read(string reason)
        {
            var match = Regex.Match(text, "^livehost_hub_clients_dropped_total\\{reason=\"" + reason + "\"\\} (\\S+)$", RegexOptions.Multiline);
            return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        }
        return (Read("buffer"), Read("delay"));
    }

    private static string Text(Random random, int length)
    {
        string[] words = ["kettle", "steel", "handle", "today", "special", "price", "family", "quality", "guarantee", "water"];
        var s = new StringBuilder(length + 12);
        while (s.Length < length) s.Append(words[random.Next(words.Length)]).Append(' ');
        return s.ToString(0, length).Trim() is { Length: > 0 } t ? t : "kettle";
    }
}
