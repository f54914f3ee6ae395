using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LiveHost.Engine.Lines;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LiveHost.Perf.ProducerConsole;

/// <summary>
/// A click on "Cue now" in the producer console -> the line's first audio sample placed by the room's engine. The real
/// host runs in this process on a loopback port; Debian's Chromium (headless) opens <c>/console/main</c> and signs in
/// with a producer key typed into the page, as a producer would. Playwright clicks the button (a real input event);
/// a capture-phase listener in the page notes <c>performance.timeOrigin + performance.now()</c> as the click is
/// dispatched. The engine's <see cref="LiveHost.Engine.Rooms.RoomEngine.FirstAudioPlaced"/> event is timed on this
/// process's Stopwatch, turned into Unix milliseconds through one anchor: same machine, same clock as the browser.
/// Between cues the previous line plays for a random 300-1000 ms (so each cue interrupts a speaking line, as on air).
/// </summary>
public sealed class ConsoleCueCommand : IBenchmarkCommand
{
    private const string ProducerKey = "perf-console-producer-key-0123456789";
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    public string Name => "console-cue";
    public string Summary => "Producer console in headless Chromium: click on Cue now -> the line's first audio sample placed (browser time to engine event)";
    public string Usage => ConsoleCueOptions.Usage;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var options = ConsoleCueOptions.From(arguments);
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        System.Console.WriteLine($"console-cue: {options.Clicks} clicks (+{options.WarmUp} warm-up) at {options.Width}x{options.Height}, on {machine.CpuModel} ({machine.LogicalCores} cores)");

        return await InProcessHost.RunAsync("livehost-console-cue-", b =>
        {
            b.UseSetting("Rooms:main:Width", options.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Rooms:main:Height", options.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Auth:Keys:0:Key", ProducerKey);
            b.UseSetting("Auth:Keys:0:Role", "producer");
            b.UseSetting("Auth:Keys:0:Name", "perf producer");
        }, (factory, port) => MeasureAsync(factory, $"http://127.0.0.1:{port}", options, startedAt, machine, cancellationToken));
    }

    private static async Task<int> MeasureAsync(WebApplicationFactory<LiveRooms> factory, string baseUrl, ConsoleCueOptions options,
        DateTimeOffset startedAt, MachineInfo machine, CancellationToken cancellationToken)
    {
        var room = factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
        var anchorTimestamp = Stopwatch.GetTimestamp();
        var anchorUnixMs = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        var placed = new ConcurrentDictionary<string, TaskCompletionSource<double>>(StringComparer.Ordinal);
        void OnFirstAudio(Line line, long frameIndex)
        {
            var at = anchorUnixMs + (double)(Stopwatch.GetTimestamp() - anchorTimestamp) * 1000 / Stopwatch.Frequency;
            placed.GetOrAdd(line.Text, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(at);
        }
        room.Engine.FirstAudioPlaced += OnFirstAudio;

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
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync(baseUrl + "/console/main");
        await page.FillAsync("#key", ProducerKey);
        await page.ClickAsync("#sign-in button[type=submit]");
        await page.WaitForFunctionAsync("() => window.livehostConsole && window.livehostConsole.ready === true", null, new() { Timeout = 60_000 });
        await page.EvaluateAsync("""
            () => {
              window.__cues = [];
              document.getElementById('cue-line').addEventListener('click', () => window.__cues.push({
                text: document.getElementById('line-text').value, at: performance.timeOrigin + performance.now() }), { capture: true });
            }
            """);

        var random = new Random(options.Seed);
        var (busy0, total0) = ProcFs.MachineCpu();
        var load0 = ProcFs.LoadAverage();
        var samples = new List<CueSample>();
        for (var i = 0; i < options.WarmUp + options.Clicks; i++)
        {
            var text = $"Cue {i + 1}: {Phrases[i % Phrases.Length]}";
            var waiter = placed.GetOrAdd(text, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            await page.FillAsync("#line-text", text);
            // The previous line has been speaking for a while: the cue cuts into it, as a producer's would.
            await Task.Delay(random.Next(300, 1000), cancellationToken);
            await page.ClickAsync("#cue-line");
            var engineAt = await waiter.Task.WaitAsync(LineTimeout, cancellationToken);
            var clickAt = await page.EvaluateAsync<double>("text => window.__cues.find(c => c.text === text).at", text);
            if (i >= options.WarmUp) samples.Add(new CueSample(i + 1 - options.WarmUp, text, clickAt, engineAt, engineAt - clickAt));
            System.Console.Write(i < options.WarmUp ? "w" : ".");
        }
        System.Console.WriteLine();
        room.Engine.FirstAudioPlaced -= OnFirstAudio;
        var (busy1, total1) = ProcFs.MachineCpu();
        var busyCores = total1 > total0 ? (double)(busy1 - busy0) / (total1 - total0) * Environment.ProcessorCount : double.NaN;

        var result = new ConsoleCueResult(startedAt, options, machine, browser.Version, load0, ProcFs.LoadAverage(), busyCores,
            Distribution.Of(samples.Select(s => s.LatencyMs)), samples);
        var (markdown, json) = await ConsoleCueReport.WriteAsync(result, cancellationToken);
        System.Console.Write(ConsoleCueReport.Summary(result));
        System.Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    private static readonly string[] Phrases =
    [
        "flash sale, two for one, only for the next five minutes.",
        "this kettle boils a litre in under three minutes.",
        "free shipping on every order placed during the show.",
        "the blue one is almost sold out, so be quick.",
        "thank you all for joining us tonight.",
    ];
}

/// <summary>One measured click: when the page dispatched it, when the engine placed the line's first sample (Unix ms).</summary>
public sealed record CueSample(int Index, string Text, double ClickUnixMs, double FirstAudioUnixMs, double LatencyMs);

/// <summary>What one <c>console-cue</c> run measured.</summary>
public sealed record ConsoleCueResult(
    DateTimeOffset StartedAt, ConsoleCueOptions Options, MachineInfo Machine, string Browser, double LoadAverageBefore,
    double LoadAverageAfter, double MachineBusyCores, Distribution ClickToFirstAudio, IReadOnlyList<CueSample> Samples);

/// <summary>What one <c>console-cue</c> run does.</summary>
public sealed record ConsoleCueOptions(int Clicks, int WarmUp, int Width, int Height, int Seed, string Chromium, string OutputFolder, string CommandLine)
{
    public const string Usage = """
          --clicks N         measured clicks on Cue now (default 50)
          --warmup N         clicks before measuring, not counted (default 3)
          --width N --height N   room main's format (default 1280x720, the shipped default)
          --seed N           random pauses between clicks (default 1)
          --chromium PATH    the browser (default /usr/bin/chromium; never downloaded)
          --out DIR          where the result files go (default perf/results)
        """;

    public static ConsoleCueOptions From(CommandArguments arguments)
    {
        var options = new ConsoleCueOptions(
            Clicks: arguments.Number("clicks", 50, 1, 10_000),
            WarmUp: arguments.Number("warmup", 3, 0, 100),
            Width: arguments.Number("width", 1280, 320, 3840),
            Height: arguments.Number("height", 720, 240, 2160),
            Seed: arguments.Number("seed", 1, 0, int.MaxValue),
            Chromium: arguments.Text("chromium", "/usr/bin/chromium"),
            OutputFolder: arguments.Text("out", Path.Combine("perf", "results")),
            CommandLine: "console-cue " + arguments.Raw);
        arguments.ThrowIfUnknown();
        if (!File.Exists(options.Chromium)) throw new ArgumentException($"no browser at {options.Chromium}");
        return options;
    }
}
