using System.Diagnostics;
using System.Text;
using LiveHost.ControlPlane;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Show;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Storage.Postgres;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static System.FormattableString;

namespace LiveHost.Perf.Storage;

/// <summary>
/// What each storage provider costs the writes a command waits for (issue 15): the stores the host wires, on SQLite (a
/// temp folder) and on PostgreSQL (a server of its own on loopback, initdb in a temp folder, fsync off like the tests':
/// so the figure is PostgreSQL's round trips and work, not a disk's flush), one call at a time from one thread: a line's
/// insert (what EnqueueLine waits for), its start and finish marks (the journal's writer), one audit append, one
/// product save. The first 50 of each are warm-up and not counted.
/// </summary>
public sealed class StoreLatencyCommand : IBenchmarkCommand
{
    private const int WarmUp = 50;

    public string Name => "store-latency";
    public string Summary => "latency of the store writes a command waits for, on SQLite and on PostgreSQL (loopback)";
    public string Usage => "--ops 1000 (per operation and provider, 100..100000) --out perf/results";

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var ops = arguments.Number("ops", 1000, 100, 100_000);
        var folder = arguments.Text("out", "perf/results");
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        var loadBefore = await ReportHeader.LoadAverageAsync(cancellationToken);
        Console.WriteLine($"store-latency: {ops} of each write per provider, load {loadBefore}");

        var results = new Dictionary<string, Dictionary<string, Distribution>>(StringComparer.Ordinal);
        var data = Directory.CreateTempSubdirectory("livehost-store-perf-");
        try
        {
            using (var sqlite = new SqliteLineStore(Path.Combine(data.FullName, "livehost.db")))
            {
                results["sqlite"] = Measure(sqlite, sqlite, new SqliteShowStore(sqlite), new SqliteAuditLog(sqlite, NullLogger<SqliteAuditLog>.Instance), ops);
            }
            await using var server = await PostgresServer.StartNewAsync();
            using var database = PostgresDatabase.FromConnectionString(server.ConnectionString(await server.CreateDatabaseAsync()));
            PostgresSchema.Migrate(database);
            var lines = new PostgresLineStore(database);
            results["postgres"] = Measure(lines, lines, new PostgresShowStore(database), new PostgresAuditLog(database, NullLogger<PostgresAuditLog>.Instance), ops);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { data.Delete(recursive: true); } catch (IOException) { }
        }

        var result = new StoreLatencyResult(startedAt, ops, machine, loadBefore, await ReportHeader.LoadAverageAsync(cancellationToken), results);
        var stem = $"{startedAt:yyyy-MM-dd-HHmm}-store-latency";
        var (markdown, json) = await ReportFiles.WriteAsync(folder, stem, result, jsonName => Report(result, arguments.Raw, jsonName), ReportFiles.Json, cancellationToken);
        Console.Write(Table(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    private static Dictionary<string, Distribution> Measure(ILineStore lines, IRoomStateStore rooms, IProductStore products, IAuditLog audit, int ops)
    {
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Time(string operation, int i, Action write)
        {
            var started = Stopwatch.GetTimestamp();
            write();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i < WarmUp) return;
            if (!samples.TryGetValue(operation, out var list)) samples[operation] = list = new List<double>(ops);
            list.Add(elapsed);
        }

        for (var i = 0; i < ops + WarmUp; i++)
        {
            var at = DateTimeOffset.UnixEpoch.AddSeconds(i);
            var line = new Line(Guid.NewGuid().ToString("N"), "main", $"Kettle special number {i}, today only.", "en", LineStatus.Queued, null, at, null, null);
            Time("insert line", i, () => lines.Insert(line, i));
            Time("mark started", i, () => lines.MarkStarted(line.Id, at));
            Time("mark finished", i, () => lines.MarkFinished(line.Id, FinishReason.Completed, at));
            Time("room state", i, () => rooms.SaveRoomState("main", new StoredRoomState(i % 2 == 0)));
            Time("audit append", i, () => audit.Append(new AuditRecord(at, "perf", "admin", "main", "EnqueueLine", "{}", "ok")));
            Time("product save", i, () => products.Save(new Product($"p{i % 20}", "mug", 19.9m, "EUR", ["hot"], false, at)));
        }
        return samples.ToDictionary(p => p.Key, p => Distribution.Of(p.Value), StringComparer.Ordinal);
    }

    private static string Table(StoreLatencyResult result)
    {
        var s = new StringBuilder();
        MarkdownTable.AppendHeader(s, "lrrrr", "write", "SQLite p50 / p95 ms", "SQLite max ms", "PostgreSQL p50 / p95 ms", "PostgreSQL max ms");
        foreach (var operation in result.Providers["sqlite"].Keys)
        {
            var (sqlite, postgres) = (result.Providers["sqlite"][operation], result.Providers["postgres"][operation]);
            s.AppendLine(Invariant($"| {operation} | {sqlite.P50:0.000} / {sqlite.P95:0.000} | {sqlite.Max:0.0} | {postgres.P50:0.000} / {postgres.P95:0.000} | {postgres.Max:0.0} |"));
        }
        return s.ToString();
    }

    private static string Report(StoreLatencyResult result, string arguments, string jsonName)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "Store write latency: SQLite and PostgreSQL", result.StartedAt, ReportHeader.CommandLine(arguments), result.Machine, result.LoadAfter);
        s.AppendLine(Invariant($"- Load average before: `{result.LoadBefore}`"));
        s.AppendLine(Invariant($"- {result.Ops} of each write per provider, one at a time on one thread, after {WarmUp} uncounted; raw: `{jsonName}`"));
        s.AppendLine("- SQLite: the host's file settings (WAL, synchronous=NORMAL, exclusive lock). PostgreSQL 15 (Debian) on loopback, started by the");
        s.AppendLine("  benchmark with fsync off (as in the tests): the figures are round trips and server work, not a disk's flush.");
        s.AppendLine();
        s.Append(Table(result));
        return s.ToString();
    }

    private sealed record StoreLatencyResult(
        DateTimeOffset StartedAt, int Ops, MachineInfo Machine, string LoadBefore, string LoadAfter, Dictionary<string, Dictionary<string, Distribution>> Providers);
}
