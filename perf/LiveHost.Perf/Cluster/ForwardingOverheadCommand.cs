using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LiveHost.ControlPlane;
using LiveHost.ControlPlane.Cluster;
using LiveHost.ControlPlane.Tests;
using LiveHost.ControlPlane.Tests.Cluster;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static System.FormattableString;

namespace LiveHost.Perf.Cluster;

/// <summary>
/// What forwarding a command to the node that runs its room costs (issue 15 point 3). Two control-plane nodes on
/// loopback Kestrel ports with a real redis-server as their backplane: the owner runs room "main" (the engine's real
/// RoomController, queue and SQLite line store; no media), the front runs none and forwards. Each command is timed
/// from the client, alternately sent to the owner (local) and to the front (forwarded over HTTP to the owner): REST
/// GetState and EnqueueLine, and the hub's GetState and EnqueueLine (the hub calls the owner's REST mirror). The
/// directory is a table (TEST DOUBLE): the lease-backed directory adds one Redis read per forwarded command.
/// </summary>
public sealed class ForwardingOverheadCommand : IBenchmarkCommand
{
    private const int WarmUp = 50;
    private const string Key = "perf-admin-key-0123456789abcdef";

    public string Name => "forwarding-overhead";
    public string Summary => "latency of REST and hub commands sent to the room's owner vs forwarded by another node (loopback, real Redis)";
    public string Usage => "--ops 1000 (per command and path, 100..100000) --out perf/results";

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var ops = arguments.Number("ops", 1000, 100, 100_000);
        var folder = arguments.Text("out", "perf/results");
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        var loadBefore = await ReportHeader.LoadAverageAsync(cancellationToken);
        Console.WriteLine($"forwarding-overhead: {ops} of each command per path, load {loadBefore}");

        await using var redis = await RedisServer.StartAsync(cancellationToken);
        await using var room = new EngineRoom(new LiveHost.Engine.Options.EngineOptions { MaxQueueLength = 100_000 });
        var ownerDirectory = new TableRoomDirectory("owner");
        var frontDirectory = new TableRoomDirectory("front");
        await using var owner = await StartNodeAsync(redis, ownerDirectory, room.Registry, cancellationToken);
        await using var front = await StartNodeAsync(redis, frontDirectory, new RoomRegistry(), cancellationToken);
        ownerDirectory.SetSelfUrl(owner.Url);
        frontDirectory.SetSelfUrl(front.Url);
        ownerDirectory.Place("main", ownerDirectory.Self);
        frontDirectory.Place("main", ownerDirectory.Self);
        room.Events.Target = owner.App.Services.GetRequiredService<IRoomEventSink>();

        using var toOwner = Client(owner.Url);
        using var toFront = Client(front.Url);
        await using var hubOwner = await HubAsync(owner.Url, cancellationToken);
        await using var hubFront = await HubAsync(front.Url, cancellationToken);

        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        async Task Time(string name, int i, Func<Task> command)
        {
            var started = Stopwatch.GetTimestamp();
            await command();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i < WarmUp) return;
            if (!samples.TryGetValue(name, out var list)) samples[name] = list = new List<double>(ops);
            list.Add(elapsed);
        }

        var line = new { text = "Forwarding costs what?", language = "en" };
        for (var i = 0; i < ops + WarmUp; i++)
        {
            foreach (var (path, http, hub) in new[] { ("local", toOwner, hubOwner), ("forwarded", toFront, hubFront) })
            {
                await Time($"REST GetState|{path}", i, async () => (await http.GetAsync(new Uri("/api/rooms/main", UriKind.Relative), cancellationToken)).EnsureSuccessStatusCode().Dispose());
                await Time($"REST EnqueueLine|{path}", i, async () => (await http.PostAsJsonAsync("/api/rooms/main/lines", line, cancellationToken)).EnsureSuccessStatusCode().Dispose());
                await Time($"hub GetState|{path}", i, () => hub.InvokeAsync<RoomState>("GetState", "main", cancellationToken));
                await Time($"hub EnqueueLine|{path}", i, () => hub.InvokeAsync<LineTicket>("EnqueueLine", new { room = "main", line.text, line.language }, cancellationToken));
            }

            // The room never ticks here: its queue is emptied now and then, untimed, so GetState's size stays small.
            if (i % 50 == 49) await room.Controller.ClearQueueAsync(cancellationToken);
        }

        var results = samples.ToDictionary(p => p.Key, p => Distribution.Of(p.Value), StringComparer.Ordinal);
        var result = new ForwardingResult(startedAt, ops, machine, loadBefore, await ReportHeader.LoadAverageAsync(cancellationToken), results);
        var stem = $"{startedAt:yyyy-MM-dd-HHmm}-forwarding-overhead";
        var (markdown, json) = await ReportFiles.WriteAsync(folder, stem, result, jsonName => Report(result, arguments.Raw, jsonName), ReportFiles.Json, cancellationToken);
        Console.Write(Table(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    private static HttpClient Client(Uri url)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    private static async Task<HubConnection> HubAsync(Uri url, CancellationToken cancellationToken)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(url, "/hubs/control"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Key))
            .Build();
        await hub.StartAsync(cancellationToken);
        return hub;
    }

    private static async Task<Node> StartNodeAsync(RedisServer redis, TableRoomDirectory directory, IRoomRegistry registry, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Key"] = Key, ["Auth:Keys:0:Role"] = "admin", ["Auth:Keys:0:Name"] = "perf",
            ["Cluster:Redis"] = redis.ConnectionString,
            // The audit log and FAQ store go to this run's own folder.
            ["Storage:DataDirectory"] = Directory.CreateTempSubdirectory("livehost-fwd-perf-").FullName,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(registry);
        builder.Services.AddLiveHostControlPlane(builder.Configuration);
        builder.Services.AddSingleton<IRoomDirectory>(directory);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseLiveHostErrorResponses();
        app.MapLiveHostControlPlane();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Node(app, new Uri(address));
    }

    private static string Table(ForwardingResult result)
    {
        var s = new StringBuilder();
        MarkdownTable.AppendHeader(s, "lrrrrr", "command", "local p50 / p95 ms", "forwarded p50 / p95 ms", "overhead p50 / p95 ms", "local max ms", "forwarded max ms");
        foreach (var command in result.Commands.Keys.Select(k => k.Split('|')[0]).Distinct())
        {
            var (local, forwarded) = (result.Commands[command + "|local"], result.Commands[command + "|forwarded"]);
            s.AppendLine(Invariant($"| {command} | {local.P50:0.000} / {local.P95:0.000} | {forwarded.P50:0.000} / {forwarded.P95:0.000} | {forwarded.P50 - local.P50:0.000} / {forwarded.P95 - local.P95:0.000} | {local.Max:0.0} | {forwarded.Max:0.0} |"));
        }
        return s.ToString();
    }

    private static string Report(ForwardingResult result, string arguments, string jsonName)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "Command forwarding overhead (issue 15 point 3)", result.StartedAt, ReportHeader.CommandLine(arguments), result.Machine, result.LoadAfter);
        s.AppendLine(Invariant($"- Load average before: `{result.LoadBefore}`"));
        s.AppendLine(Invariant($"- {result.Ops} of each command per path, one at a time, local and forwarded alternating, after {WarmUp} uncounted; raw: `{jsonName}`"));
        s.AppendLine("- Two control-plane nodes in this process on loopback Kestrel ports, a real redis-server (Debian) as the SignalR backplane;");
        s.AppendLine("  the owner's room is the engine's RoomController with its SQLite line store (no media). Forwarded = sent to the other node,");
        s.AppendLine("  which sends it over HTTP (keep-alive, loopback) to the owner. The directory is a table: a Redis lease read is not included.");
        s.AppendLine();
        s.Append(Table(result));
        return s.ToString();
    }

    private sealed record Node(WebApplication App, Uri Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    private sealed record ForwardingResult(
        DateTimeOffset StartedAt, int Ops, MachineInfo Machine, string LoadBefore, string LoadAfter, Dictionary<string, Distribution> Commands);
}
