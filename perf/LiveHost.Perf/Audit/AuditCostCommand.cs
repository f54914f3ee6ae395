using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LiveHost.ControlPlane;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static System.FormattableString;

namespace LiveHost.Perf.Audit;

/// <summary>
/// What the audit log costs a command. The real host on a loopback port (real rooms, SQLite file, journal), once with
/// the audit log and once without (its <see cref="IAuditLog"/> removed, so neither the hub filter nor the middleware
/// records), in alternating blocks; per block, a producer sends Pause/Resume pairs over REST and over the hub, one at a
/// time, and each command's round trip is timed. Also times <see cref="IAuditLog.Append"/> alone on the host's log.
/// </summary>
public sealed class AuditCostCommand : IBenchmarkCommand
{
    private const string ProducerKey = "perf-producer-key-0123456789";

    public string Name => "audit-cost";
    public string Summary => "round trip of a room command over REST and the hub with and without the audit log, and one append alone";
    public string Usage => "--commands 400 (per block and transport, 50..100000) --blocks 2 (with/without pairs, 1..20) --out perf/results";

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var commands = arguments.Number("commands", 400, 50, 100_000);
        var blocks = arguments.Number("blocks", 2, 1, 20);
        var folder = arguments.Text("out", "perf/results");
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        var load = ProcFs.LoadAverage();
        Console.WriteLine($"audit-cost: {blocks} x (with, without) blocks of {commands} REST and {commands} hub commands, load {load:0.0}");

        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        List<double> Samples(string key) => samples.TryGetValue(key, out var list) ? list : samples[key] = [];
        for (var block = 0; block < blocks; block++)
        {
            foreach (var audited in new[] { true, false })
            {
                var data = Directory.CreateTempSubdirectory("livehost-audit-perf-");
                try
                {
                    await using var factory = CreateHost(data.FullName, audited, out var port);
                    factory.StartServer();
                    var label = audited ? "with" : "without";
                    var baseAddress = new Uri($"http://127.0.0.1:{port}");
                    Samples($"rest pause/resume {label}").AddRange(await RestAsync(baseAddress, commands, enqueue: false, cancellationToken));
                    Samples($"hub pause/resume {label}").AddRange(await HubAsync(baseAddress, commands, enqueue: false, cancellationToken));
                    Samples($"rest enqueue {label}").AddRange(await RestAsync(baseAddress, commands, enqueue: true, cancellationToken));
                    Samples($"hub enqueue {label}").AddRange(await HubAsync(baseAddress, commands, enqueue: true, cancellationToken));
                    if (audited) Samples("append alone").AddRange(AppendAlone(factory.Services.GetRequiredService<IAuditLog>(), commands));
                    Console.WriteLine(Invariant($"block {block + 1} {label}: rest enqueue p50 {Distribution.Of(Samples($"rest enqueue {label}")).P50:0.000} ms, hub enqueue p50 {Distribution.Of(Samples($"hub enqueue {label}")).P50:0.000} ms"));
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    try { data.Delete(recursive: true); } catch (IOException) { }
                }
            }
        }

        var result = new AuditCostResult(startedAt, commands, blocks, machine, load, ProcFs.LoadAverage(),
            samples.ToDictionary(p => p.Key, p => Distribution.Of(p.Value), StringComparer.Ordinal));
        var stem = $"{startedAt:yyyy-MM-dd}-audit-cost";
        var (markdown, json) = await ReportFiles.WriteAsync(folder, stem, result, jsonName => Report(result, arguments.Raw, jsonName), ReportFiles.Json, cancellationToken);
        Console.Write(Table(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    /// <summary>
    /// Pause/Resume pairs (each answers after the room's next tick applied it and its state is on disk), or EnqueueLine
    /// into the paused room (answers once the line's row is on disk; the queue is cleared, untimed, every 100 lines).
    /// </summary>
    private static async Task<List<double>> RestAsync(Uri baseAddress, int commands, bool enqueue, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ProducerKey);
        if (enqueue) (await client.PostAsync(new Uri("/api/rooms/main/pause", UriKind.Relative), null, cancellationToken)).EnsureSuccessStatusCode();
        var times = new List<double>(commands);
        for (var i = 0; i < commands + 20; i++)
        {
            if (enqueue && i % 100 == 99) (await client.PostAsync(new Uri("/api/rooms/main/clear", UriKind.Relative), null, cancellationToken)).EnsureSuccessStatusCode();
            var started = Stopwatch.GetTimestamp();
            using var response = enqueue
                ? await client.PostAsync(new Uri("/api/rooms/main/lines", UriKind.Relative),
                    new StringContent($"{{\"text\":\"Kettle special number {i}, today only.\"}}", System.Text.Encoding.UTF8, "application/json"), cancellationToken)
                : await client.PostAsync(new Uri(i % 2 == 0 ? "/api/rooms/main/pause" : "/api/rooms/main/resume", UriKind.Relative), null, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            if (i >= 20) times.Add(elapsed); // the first 20 warm up the connection and the JIT
        }
        if (enqueue) (await client.PostAsync(new Uri("/api/rooms/main/clear", UriKind.Relative), null, cancellationToken)).EnsureSuccessStatusCode();
        return times;
    }

    private static async Task<List<double>> HubAsync(Uri baseAddress, int commands, bool enqueue, CancellationToken cancellationToken)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/control"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(ProducerKey))
            .Build();
        await connection.StartAsync(cancellationToken);
        if (enqueue) await connection.InvokeAsync("Pause", "main", cancellationToken);
        var times = new List<double>(commands);
        for (var i = 0; i < commands + 20; i++)
        {
            if (enqueue && i % 100 == 99) await connection.InvokeAsync("ClearQueue", "main", cancellationToken);
            var started = Stopwatch.GetTimestamp();
            if (enqueue) await connection.InvokeAsync<LiveHost.Engine.Lines.LineTicket>("EnqueueLine", new { text = $"Kettle special number {i}, today only." }, cancellationToken);
            else await connection.InvokeAsync(i % 2 == 0 ? "Pause" : "Resume", "main", cancellationToken);
            if (i >= 20) times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        if (enqueue) await connection.InvokeAsync("ClearQueue", "main", cancellationToken);
        return times;
    }

    private static List<double> AppendAlone(IAuditLog audit, int count)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var arguments = AuditArguments.Canonical(System.Text.Json.JsonSerializer.SerializeToElement(new { room = "main", i }));
            var started = Stopwatch.GetTimestamp();
            audit.Append(new AuditRecord(DateTimeOffset.UnixEpoch.AddSeconds(i), "perf producer", "producer", "main", "Perf", arguments, "ok"));
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return times;
    }

    private static WebApplicationFactory<LiveRooms> CreateHost(string dataDirectory, bool audited, out int port)
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
            if (!audited) b.ConfigureTestServices(s => s.RemoveAll<IAuditLog>());
        });
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, chosen));
        return factory;
    }

    private static string Table(AuditCostResult result)
    {
        var s = new StringBuilder();
        s.AppendLine("| what | n | p50 ms | p95 ms | mean ms | max ms |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, d) in result.Distributions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            s.AppendLine(Invariant($"| {name} | {d.Count} | {d.P50:0.000} | {d.P95:0.000} | {d.Mean:0.000} | {d.Max:0.000} |"));
        }
        return s.ToString();
    }

    private static string Report(AuditCostResult result, string raw, string jsonName)
    {
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "Audit log cost per command", result.StartedAt);
        ReportHeader.AppendCommand(s, "audit-cost " + raw);
        ReportHeader.AppendMachine(s, result.Machine, Invariant($"; load average {result.LoadBefore:0.0} before, {result.LoadAfter:0.0} after"));
        s.AppendLine($"- Raw samples' summaries: `{jsonName}`");
        s.AppendLine();
        s.AppendLine("Round trip of one producer command on the real host, one at a time, with the audit log and without it (its");
        s.AppendLine("IAuditLog removed). `pause/resume`: Pause and Resume alternately, each answered after the room's next tick applied");
        s.AppendLine("it and its state is on disk. `enqueue`: EnqueueLine into the paused room, answered once the line's row is on disk.");
        s.AppendLine("`append alone`: one IAuditLog.Append (canonical form, SHA-256, one INSERT in its own transaction) on the host's log.");
        s.AppendLine();
        s.Append(Table(result));
        return s.ToString();
    }
}

public sealed record AuditCostResult(
    DateTimeOffset StartedAt, int Commands, int Blocks, MachineInfo Machine, double LoadBefore, double LoadAfter,
    IReadOnlyDictionary<string, Distribution> Distributions);
