using LiveHost.Perf.Cli;

namespace LiveHost.Perf.Hub;

/// <summary>What one <c>hub-slow-clients</c> run does.</summary>
public sealed record SlowClientsOptions(IReadOnlyList<int> Stalled, int Lines, int TextChars, int ClearEvery, bool StockManager, string OutputFolder, string CommandLine)
{
    public const string Usage = """
          --stalled A,B,..   runs, each with this many SignalR clients that stop reading (default 0,10)
          --lines N          lines enqueued per run; one LineQueued event each is timed (default 1000)
          --text N           characters per line (default 1000)
          --clear-every N    ClearQueue after this many lines, which bounds the queue in StateChanged (default 50)
          --manager NAME     outbox (the product's) or stock (SignalR's DefaultHubLifetimeManager, for comparison; default outbox)
          --out DIR          where the result files go (default perf/results)
        """;

    public static SlowClientsOptions From(CommandArguments arguments)
    {
        var stalledText = arguments.Text("stalled", "0,10");
        var stalled = stalledText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 200
                ? n
                : throw new ArgumentException($"--stalled takes counts 0..200 separated by commas, not '{stalledText}'"))
            .ToArray();
        var options = new SlowClientsOptions(
            Stalled: stalled,
            Lines: arguments.Number("lines", 1000, 100, 100_000),
            TextChars: arguments.Number("text", 1000, 1, 5000),
            ClearEvery: arguments.Number("clear-every", 50, 1, 1000),
            StockManager: arguments.Text("manager", "outbox") switch
            {
                "outbox" => false,
                "stock" => true,
                var other => throw new ArgumentException($"--manager is outbox or stock, not '{other}'"),
            },
            OutputFolder: arguments.Text("out", Path.Combine("perf", "results")),
            CommandLine: "hub-slow-clients " + arguments.Raw);
        arguments.ThrowIfUnknown();
        if (stalled.Length == 0) throw new ArgumentException("--stalled needs at least one count");
        return options;
    }
}
