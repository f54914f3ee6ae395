using System.Diagnostics;
using System.Text;
using LiveHost.Host.Tests.Cluster;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.Cluster;

/// <summary>
/// Failover time (issue 15 point 5): three LiveHost nodes as processes on one PostgreSQL and one Redis (the cluster
/// tests' <see cref="TestCluster"/>), then <c>--kills</c> times: SIGKILL the node running room <c>r1</c> and time until
/// another node has taken it (its log line, written once the room runs) and until it answers for the room over REST;
/// the killed node is started again before the next kill. Lease: <c>--lease</c> seconds (the default 5, as shipped).
/// </summary>
public sealed class FailoverCommand : IBenchmarkCommand
{
    private const string Room = "r1";

    public string Name => "failover";
    public string Summary => "time from kill -9 of a room's node until another node runs it (3 nodes, PostgreSQL, Redis on loopback)";
    public string Usage => "--kills 10 (1..100) --lease 5 (seconds, 1..30) --out perf/results";

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var kills = arguments.Number("kills", 10, 1, 100);
        var lease = arguments.Number("lease", 5, 1, 30);
        var folder = arguments.Text("out", "perf/results");
        arguments.ThrowIfUnknown();
        if (TestCluster.MissingReason is { } missing)
        {
            Console.Error.WriteLine(missing);
            return 2;
        }
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        var loadBefore = await ReportHeader.LoadAverageAsync(cancellationToken);
        Console.WriteLine($"failover: {kills} kills, lease {lease} s, load {loadBefore}");

        var taken = new List<double>();
        var answering = new List<double>();
        var settle = TimeSpan.FromSeconds(60);
        await using (var cluster = await TestCluster.StartAsync(3, new Dictionary<string, string>
        {
            ["Cluster__LeaseSeconds"] = lease.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }))
        {
            await Task.WhenAny(cluster.Nodes.Select(n => n.WaitForOutputAsync($"Cluster: took room {Room} ", settle)));
            for (var i = 0; i < kills; i++)
            {
                var holders = await cluster.HoldersAsync();
                var ownerIndex = cluster.Nodes.IndexOf(cluster.Node(holders[Room]));
                var owner = cluster.Nodes[ownerIndex];
                var others = cluster.Nodes.Where(n => n != owner).ToArray();
                var took = others.Select(n => n.WaitForOutputAsync($"Cluster: took room {Room} ", settle)).ToArray();
                var killed = Stopwatch.StartNew();
                await owner.KillAsync();
                var winner = others[Array.IndexOf(took, await Task.WhenAny(took))];
                await took.First(t => t.IsCompleted);
                taken.Add(killed.Elapsed.TotalSeconds);
                using var client = winner.Client(TestCluster.AdminKey);
                using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50)))
                {
                    while (!(await client.GetAsync($"/api/rooms/{Room}", cancellationToken)).IsSuccessStatusCode) await timer.WaitForNextTickAsync(cancellationToken);
                }
                answering.Add(killed.Elapsed.TotalSeconds);
                Console.WriteLine(Invariant($"kill {i + 1}: {holders[Room]} killed; taken after {taken[^1]:0.00} s, answering after {answering[^1]:0.00} s"));
                await cluster.RestartNodeAsync(ownerIndex);
            }
        }

        var result = new FailoverResult(startedAt, kills, lease, machine, loadBefore, await ReportHeader.LoadAverageAsync(cancellationToken),
            Distribution.Of(taken), Distribution.Of(answering), taken, answering);
        var stem = $"{startedAt:yyyy-MM-dd-HHmm}-failover";
        var (markdown, json) = await ReportFiles.WriteAsync(folder, stem, result, jsonName => Report(result, arguments.Raw, jsonName), ReportFiles.Json, cancellationToken);
        Console.Write(Table(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    private static string Table(FailoverResult result)
    {
        var s = new StringBuilder();
        MarkdownTable.AppendHeader(s, "lrrrr", "from kill -9 until", "p50 s", "p95 s", "max s", "min s");
        s.AppendLine(Invariant($"| another node runs the room | {result.Taken.P50:0.00} | {result.Taken.P95:0.00} | {result.Taken.Max:0.00} | {result.Taken.Min:0.00} |"));
        s.AppendLine(Invariant($"| it answers for the room (REST) | {result.Answering.P50:0.00} | {result.Answering.P95:0.00} | {result.Answering.Max:0.00} | {result.Answering.Min:0.00} |"));
        return s.ToString();
    }

    private static string Report(FailoverResult result, string arguments, string jsonName)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "Failover: kill -9 of a room's node until another node runs it", result.StartedAt, ReportHeader.CommandLine("failover " + arguments), result.Machine, result.LoadAfter);
        s.AppendLine(Invariant($"- Load average before: `{result.LoadBefore}`"));
        s.AppendLine(Invariant($"- {result.Kills} kills; three nodes (`dotnet LiveHost.Host.dll`), PostgreSQL and redis-server on loopback, all on this machine; `Cluster:LeaseSeconds={result.LeaseSeconds}`; raw: `{jsonName}`"));
        s.AppendLine("- The room's lease runs out at most one lease after the owner's last renewal; the next placement round (every sixth of a lease)");
        s.AppendLine("  takes it: lease and token from Redis, the token into PostgreSQL, the room built from the store and started.");
        s.AppendLine();
        s.Append(Table(result));
        return s.ToString();
    }

    private sealed record FailoverResult(
        DateTimeOffset StartedAt, int Kills, int LeaseSeconds, MachineInfo Machine, string LoadBefore, string LoadAfter,
        Distribution Taken, Distribution Answering, IReadOnlyList<double> TakenSeconds, IReadOnlyList<double> AnsweringSeconds);
}
