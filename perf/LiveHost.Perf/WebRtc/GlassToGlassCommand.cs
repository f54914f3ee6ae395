using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LiveHost.Engine.Lines;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Foundation;
using LiveHost.Perf.Measurement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// Glass-to-glass latency of WebRTC playback, measured in a real browser. The real host (Program, every real part)
/// runs in this process on a loopback port with room main's frame stamp on; Debian's Chromium, headless, opens
/// /watch/main (WHEP, the product's player page); a script in the page reads the stamp of every frame the video element
/// presents and notes when. Each frame is paired with the moment the server drew it, both on this machine's clock.
/// (The factory is typed by <see cref="LiveRooms"/>, a type of the host's assembly: this program has a <c>Program</c> of its own.)
/// </summary>
public sealed class GlassToGlassCommand : IBenchmarkCommand
{
    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(40);
    private static readonly JsonSerializerOptions PageJson = new() { PropertyNameCaseInsensitive = true };

    public string Name => "glass-to-glass";
    public string Summary => "WebRTC glass-to-glass latency in headless Chromium: frame drawn on the server -> frame presented by the page";
    public string Usage => GlassToGlassOptions.Usage;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var options = GlassToGlassOptions.From(arguments);
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Console.WriteLine($"glass-to-glass: {options.Seconds} s at {options.Width}x{options.Height}, playout delay {options.PlayoutDelay}, {options.Chromium}, on {machine.CpuModel} ({machine.LogicalCores} cores)");

        var data = Directory.CreateTempSubdirectory("livehost-g2g-");
        var pageLog = new List<string>();
        try
        {
            var port = InProcessHost.FreeTcpPort();
            var factory = new WebApplicationFactory<LiveRooms>().WithWebHostBuilder(b =>
            {
                // The host's own folder (appsettings.json): this program is not a test project, so no manifest says where it is.
                b.UseContentRoot(InProcessHost.HostContentRoot());
                b.UseSetting("Storage:DataDirectory", data.FullName);
                b.UseSetting("Rooms:main:Width", options.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
                b.UseSetting("Rooms:main:Height", options.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
                b.UseSetting("Rooms:main:FrameStamp", "true");
                b.UseSetting("Logging:LogLevel:Default", "Warning");
                foreach (var (key, value) in options.PlayoutDelay.Settings()) b.UseSetting(key, value);
            });
            try
            {
                return await MeasureAsync(factory, port, options, startedAt, machine, pageLog, cancellationToken);
            }
            finally
            {
                try
                {
                    await factory.DisposeAsync();
                }
                catch (ObjectDisposedException ex)
                {
                    // A host bug, not a measurement problem: say so and keep the results.
                    Console.Error.WriteLine($"warning: the host threw while stopping: {ex.GetType().Name}: {ex.Message} at {ex.StackTrace?.Split('\n')[0].Trim()}");
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { data.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<int> MeasureAsync(WebApplicationFactory<LiveRooms> factory, int port, GlassToGlassOptions options, DateTimeOffset startedAt,
        MachineInfo machine, List<string> pageLog, CancellationToken cancellationToken)
    {
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        var baseUrl = $"http://127.0.0.1:{port}";
        var room = factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
        using var clock = new ServerFrameClock(room.Engine.Statistics, TimeProvider.System);
        Console.WriteLine($"host on {baseUrl}; room main speaking");
        foreach (var line in LineScript.Create(60, seed: 11).Take(60))
        {
            await room.Controller.EnqueueAsync(new LineRequest("main", line.Text, line.Language, line.Voice, Tag: "g2g"), cancellationToken);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
            ],
        });
        var page = await browser.NewPageAsync();
        page.Console += (_, message) => { lock (pageLog) if (pageLog.Count < 200) pageLog.Add($"{message.Type}: {message.Text}"); };
        page.PageError += (_, error) => { lock (pageLog) if (pageLog.Count < 200) pageLog.Add("pageerror: " + error); };
        await page.GotoAsync(baseUrl + "/watch/main");
        await page.EvaluateAsync<bool>(FrameStampReaderScript.Install);

        Console.WriteLine("waiting for the first decoded frame...");
        var firstFrame = await WaitForFirstStampAsync(page, cancellationToken);
        if (firstFrame is not null)
        {
            var result0 = Blocked(startedAt, options, machine, browser.Version, firstFrame, pageLog);
            await GlassToGlassReport.WriteAsync(result0, cancellationToken);
            Console.Error.WriteLine("no stamped frame reached the page: " + firstFrame);
            return 1;
        }
        await Task.Delay(TimeSpan.FromSeconds(options.WarmUpSeconds), cancellationToken);
        var before = await TakeAsync(page);
        var windowStart = clock.NowUnixMs;
        var (busy0, total0) = ProcFs.MachineCpu();
        Console.WriteLine($"measuring {options.Seconds} s...");
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
        var after = await TakeAsync(page);
        var windowEnd = clock.NowUnixMs;
        var (busy1, total1) = ProcFs.MachineCpu();
        var busyCores = total1 > total0 ? (double)(busy1 - busy0) / (total1 - total0) * Environment.ProcessorCount : double.NaN;

        var result = Analyze(startedAt, options, machine, browser.Version, clock, before, after, windowStart, windowEnd, busyCores, pageLog);
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        var (markdown, json) = await GlassToGlassReport.WriteAsync(result, cancellationToken);
        Console.WriteLine();
        Console.Write(GlassToGlassReport.Summary(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    /// <returns>Null once a stamped frame was decoded; else what the page says (its error, its connection state).</returns>
    private static async Task<string?> WaitForFirstStampAsync(IPage page, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(FirstFrameTimeout.TotalSeconds * Stopwatch.Frequency);
        string state = "";
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var decoded = await page.EvaluateAsync<int>("() => window.__g2g.records.filter(r => r.value >= 0).length");
            if (decoded > 0) return null;
            state = await page.EvaluateAsync<string>(
                "async () => JSON.stringify({ error: window.livehost && window.livehost.error, stats: window.livehost && await window.livehost.stats(), callbacks: window.__g2g.callbacks, undecodable: window.__g2g.undecodable })");
            await Task.Delay(500, cancellationToken);
        }
        return $"after {FirstFrameTimeout.TotalSeconds:0} s: {state}";
    }

    private static async Task<PageSnapshot> TakeAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>(FrameStampReaderScript.Take);
        return JsonSerializer.Deserialize<PageSnapshot>(json, PageJson) ?? throw new InvalidOperationException("the page returned nothing");
    }

    private static GlassToGlassResult Analyze(DateTimeOffset startedAt, GlassToGlassOptions options, MachineInfo machine, string browser,
        ServerFrameClock clock, PageSnapshot before, PageSnapshot after, double windowStart, double windowEnd, double busyCores, List<string> pageLog)
    {
        var frames = new List<FrameLatency>();
        var unmatched = 0L;
        foreach (var r in after.Records.Where(r => r.Value >= 0))
        {
            if (!clock.TryGet(r.Value, out var produced) || r.ExpectedDisplayUnixMs - produced.DrawnUnixMs is < 0 or > 30_000)
            {
                unmatched++;
                continue;
            }
            frames.Add(new FrameLatency(r.Value, produced.DrawnUnixMs,
                r.ReceiveUnixMs is { } rx ? rx - produced.DrawnUnixMs : double.NaN,
                r.CallbackUnixMs - produced.DrawnUnixMs,
                r.ExpectedDisplayUnixMs - produced.DrawnUnixMs));
        }
        var receiveToDisplay = after.Records.Where(r => r.Value >= 0 && r.ReceiveUnixMs is not null).Select(r => r.ExpectedDisplayUnixMs - r.ReceiveUnixMs!.Value);
        var last = after.Records.Count > 0 ? after.Records[^1] : null;
        return new GlassToGlassResult(
            startedAt, options, machine, "measured", browser,
            Distribution.Of(frames.Select(f => f.DisplayMs)), Distribution.Of(frames.Select(f => f.CallbackMs)),
            Distribution.Of(frames.Select(f => f.ReceiveMs)), Distribution.Of(receiveToDisplay),
            (windowEnd - windowStart) / 1000, clock.CountBetween(windowStart, windowEnd), after.Records.Count,
            after.Records.Where(r => r.Value >= 0).Select(r => r.Value).Distinct().Count(),
            after.Undecodable - before.Undecodable, unmatched, after.MissedPresentations - before.MissedPresentations,
            Stat(after, "framesDecoded") - Stat(before, "framesDecoded"), Stat(after, "framesDropped") - Stat(before, "framesDropped"),
            Stat(after, "packetsLost") - Stat(before, "packetsLost"), last is null ? null : $"{last.Width}x{last.Height}",
            busyCores, frames, [.. pageLog])
        {
            PageLatency = after.Stats is { } stats && stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty("latency", out var latency) ? latency.Clone() : null,
        };
    }

    private static GlassToGlassResult Blocked(DateTimeOffset startedAt, GlassToGlassOptions options, MachineInfo machine, string browser, string why, List<string> pageLog)
    {
        var empty = Distribution.Of([]);
        return new GlassToGlassResult(startedAt, options, machine, "blocked: " + why, browser, empty, empty, empty, empty,
            0, 0, 0, 0, 0, 0, 0, double.NaN, double.NaN, double.NaN, null, double.NaN, [], [.. pageLog]);
    }

    private static double Stat(PageSnapshot snapshot, string name) =>
        snapshot.Stats is { } stats && stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
}
