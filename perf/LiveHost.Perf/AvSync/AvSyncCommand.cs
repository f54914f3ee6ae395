using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LiveHost.Engine.Lines;
using LiveHost.Host.Rooms;
using LiveHost.Media;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Foundation;
using LiveHost.Perf.Measurement;
using LiveHost.TestSupport;
using LiveHost.TestSupport.AvSync;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LiveHost.Perf.AvSync;

/// <summary>
/// A/V sync where the viewer is. The real host runs in this process with room main's frame stamp and A/V sync marker
/// on (a tone burst at the first sample of every 50th tick, whose frame carries the stamp), speaking throughout.
/// Chromium (headless, Debian's) plays /watch/main and reads both in the page (<see cref="AvSyncReaderScript"/>); with
/// <c>--rtmp on</c> the room also pushes to a local nginx-rtmp, and ffmpeg pulls and decodes the stream
/// (<see cref="RtmpAvSyncReader"/>). Each marker gives one offset; the report has p50/p95/max, the drift slope and EBU
/// R37 (+40/-60 ms) compliance for each path.
/// </summary>
public sealed class AvSyncCommand : IBenchmarkCommand
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TakeEvery = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions PageJson = new() { PropertyNameCaseInsensitive = true };

    public string Name => "av-sync";
    public string Summary => "A/V sync as the viewer gets it: stamped frames vs tone markers, in Chromium (WebRTC) and over RTMP (ffmpeg)";
    public string Usage => AvSyncOptions.Usage;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var options = AvSyncOptions.From(arguments);
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Console.WriteLine($"av-sync: {options.Minutes} min at {options.Width}x{options.Height}, rtmp {(options.Rtmp ? "on" : "off")}, playout delay {options.PlayoutDelay}, on {machine.CpuModel} ({machine.LogicalCores} cores)");
        await using var nginx = options.Rtmp ? await NginxRtmpServer.StartNewAsync(cancellationToken) : null;
        var result = await InProcessHost.RunAsync("livehost-avsync-", b =>
        {
            b.UseSetting("Rooms:main:Width", options.Width.ToString(CultureInfo.InvariantCulture));
            b.UseSetting("Rooms:main:Height", options.Height.ToString(CultureInfo.InvariantCulture));
            b.UseSetting("Rooms:main:FrameStamp", "true");
            b.UseSetting("Rooms:main:AvSyncMarker", "true");
            if (nginx is not null)
            {
                b.UseSetting("Rooms:main:Outputs:0:Url", nginx.RtmpUrl("avsync"));
                b.UseSetting("Outputs:AllowPrivateNetworks", "true");
            }
            foreach (var (key, value) in options.PlayoutDelay.Settings()) b.UseSetting(key, value);
            if (options.AudioLeadMs is { } lead) b.UseSetting("Engine:AudioLeadMilliseconds", lead.ToString(CultureInfo.InvariantCulture));
            if (options.PaceAudio is { } pace) b.UseSetting("WebRtc:PaceAudio", pace ? "true" : "false");
            foreach (var (key, value) in options.Settings ?? []) b.UseSetting(key, value);
        }, (factory, port) => MeasureAsync(factory, port, nginx, options, startedAt, machine, cancellationToken));
        var (markdown, json) = await AvSyncReport.WriteAsync(result, cancellationToken);
        Console.WriteLine();
        Console.Write(AvSyncReport.Summary(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return result.Browser.Pairs > 0 ? 0 : 1;
    }

    private static async Task<AvSyncResult> MeasureAsync(WebApplicationFactory<LiveRooms> factory, int port, NginxRtmpServer? nginx, AvSyncOptions options,
        DateTimeOffset startedAt, MachineInfo machine, CancellationToken cancellationToken)
    {
        var room = factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var speech = KeepSpeakingAsync(room, stop.Token);
        var keyframes = new HashSet<long>();
        var keyframeWatch = RecordKeyframesAsync(room, keyframes, stop.Token);
        var measured = TimeSpan.FromMinutes(options.Minutes);
        var folder = Directory.CreateTempSubdirectory("livehost-avsync-rtmp-");
        try
        {
            var recording = nginx is null ? Task.CompletedTask
                : RtmpAvSyncReader.RecordAsync(nginx.RtmpUrl("avsync"), (WarmUp + measured).TotalSeconds + 15, Path.Combine(folder.FullName, "room.flv"), cancellationToken);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = options.Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
            });
            var page = await browser.NewPageAsync();
            await page.GotoAsync($"http://127.0.0.1:{port}/watch/main");
            await page.WaitForFunctionAsync("() => window.livehost && window.livehost.playing", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            var clocks = new { videoBase = (double)room.WebRtc!.VideoTimestampBase, audioBase = (double)room.WebRtc!.AudioTimestampBase };
            var source = await page.EvaluateAsync<string>(AvSyncReaderScript.Install, clocks);
            Console.WriteLine($"playing; audio tapped from the {source}; warming up {WarmUp.TotalSeconds:0} s");
            await Task.Delay(WarmUp, cancellationToken);
            await TakeAsync(page);
            var frames = new List<MarkerFrame>();
            var onsets = new List<double>();
            long callbacks = 0, undecodable = 0;
            var chromium = new ChromiumSyncSamples();
            var tapDelays = new List<double>();
            var heardFrames = new List<MarkerFrame>();
            var heardSounds = new List<double>();
            var handed = new List<(long Value, double Video, double Handed, int Deliveries)>();
            var onKeyframe = new List<bool>();
            var unheard = 0;
            var tapOutput = new TapOutputSamples();
            var clock = Stopwatch.StartNew();
            var (busy0, total0) = ProcFs.MachineCpu();
            while (clock.Elapsed < measured)
            {
                await Task.Delay(TakeEvery < measured - clock.Elapsed ? TakeEvery : measured - clock.Elapsed, cancellationToken);
                var taken = await TakeAsync(page);
                frames.AddRange(taken.Video.Select(v => new MarkerFrame(v.Value, v.T)));
                onsets.AddRange(taken.Audio.Select(a => a.T));
                tapDelays.AddRange(taken.Calibration ?? []);
                foreach (var d in taken.Delivered ?? [])
                {
                    if (d.Heard is not { } heard || d.Handed is not { } at) { unheard++; continue; }
                    heardFrames.Add(new MarkerFrame(d.Value, d.Video));
                    heardSounds.Add(heard);
                    handed.Add((d.Value, d.Video, at, d.Deliveries));
                    lock (keyframes) onKeyframe.Add(keyframes.Contains(d.Pts90k));
                }
                tapOutput.Add(taken.OutputLatency, taken.BaseLatency, taken.OutputLagMs, taken.PlayoutDelayMs);
                callbacks = taken.Callbacks;
                undecodable = taken.Undecodable;
                chromium.Add(await page.EvaluateAsync<JsonElement>("async () => (await window.livehost.stats()).latency"));
                var sofar = AvSyncSummary.Of(heardFrames, heardSounds, MarkerPeriodMs);
                var tap = AvSyncSummary.Of(frames, onsets, MarkerPeriodMs);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalMinutes,6:0.0} min: {sofar.Pairs} markers ({unheard} not timed), audio lead p50 {sofar.P50Ms:0.0} ms, |offset| p95 {sofar.P95AbsMs:0.0} max {sofar.MaxAbsMs:0.0} ms, range {sofar.MinMs:0.0}..{sofar.MaxMs:0.0}; WebAudio tap {tap.Pairs} p50 {tap.P50Ms:0.0}; Chromium's estimate {chromium.Last}; {tapOutput.Last}"));
            }
            var (busy1, total1) = ProcFs.MachineCpu();
            var steps = JsonSerializer.Deserialize<Dictionary<string, int>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__avsync.rtpSteps)"));
            Console.WriteLine("synchronization source RTP timestamp steps (step: count): " + (steps is null ? "none" : string.Join(", ", steps.OrderByDescending(kv => kv.Value).Take(6).Select(kv => $"{kv.Key}: {kv.Value}"))));
            var stats = await page.EvaluateAsync<JsonElement>("async () => await window.livehost.stats()");
            await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
            await recording;
            var rtmp = nginx is null ? null : await RtmpAvSyncReader.AnalyzeAsync(Path.Combine(folder.FullName, "room.flv"), options.Width, options.Height, cancellationToken);
            return new AvSyncResult(startedAt, options, machine, browser.Version, source, clock.Elapsed.TotalMinutes,
                total1 > total0 ? (double)(busy1 - busy0) / (total1 - total0) * Environment.ProcessorCount : double.NaN,
                AvSyncSummary.Of(heardFrames, heardSounds, MarkerPeriodMs), callbacks, undecodable, stats.Clone(),
                rtmp is null ? null : AvSyncSummary.Of(rtmp.Frames, rtmp.OnsetsMs, MarkerPeriodMs), rtmp is null ? null : rtmp with { Frames = [], OnsetsMs = [] },
                await ReportHeader.LoadAverageAsync(cancellationToken), chromium, Distribution.Of(tapDelays),
                AvSyncSummary.Of(frames, onsets, MarkerPeriodMs), unheard, tapOutput,
                handed.Count(h => h.Deliveries >= 2), Distribution.Of(handed.Select(h => h.Video - h.Handed).ToList()),
                KeyframeSplit.Of(heardFrames.Zip(heardSounds, (f, a) => f.TimeMs - a).ToList(), onKeyframe, KeyframeCount(keyframes)));
        }
        finally
        {
            await stop.CancelAsync();
            try { await speech; } catch (OperationCanceledException) { }
            try { await keyframeWatch; } catch (OperationCanceledException) { }
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }

    // Room main runs at the default 25 fps.
    private const double MarkerPeriodMs = AvSyncMarker.PeriodFrames * 1000.0 / 25;

    // Continuous speech: the queue is topped up whenever it runs short.
    private static async Task KeepSpeakingAsync(LiveRoom room, CancellationToken cancellationToken)
    {
        var seed = 17;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (room.Engine.Snapshot().Queue.Count < 5)
            {
                foreach (var line in LineScript.Create(20, seed++).Take(20))
                    await room.Controller.EnqueueAsync(new LineRequest("main", line.Text, line.Language, line.Voice, Tag: "av-sync"), cancellationToken);
            }
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    // The pts of every keyframe the room codes: a marker frame that is one arrives bigger and decodes longer.
    private static async Task RecordKeyframesAsync(LiveRoom room, HashSet<long> keyframes, CancellationToken cancellationToken)
    {
        using var subscription = room.Encoder.Output.Subscribe("avsync-keyframes", 64, MediaCodec.H264, passive: true);
        while (!cancellationToken.IsCancellationRequested)
        {
            var frame = await subscription.ReadAsync(cancellationToken);
            if (frame.IsKeyframe) lock (keyframes) keyframes.Add(frame.Pts90k);
        }
    }

    private static int KeyframeCount(HashSet<long> keyframes)
    {
        lock (keyframes) return keyframes.Count;
    }

    private static async Task<PageTake> TakeAsync(IPage page) =>
        JsonSerializer.Deserialize<PageTake>(await page.EvaluateAsync<string>(AvSyncReaderScript.Take), PageJson) ?? throw new InvalidOperationException("the page returned nothing");

    private sealed record PageTake(IReadOnlyList<PageMarker> Video, IReadOnlyList<PageOnset> Audio, IReadOnlyList<double>? Calibration,
        IReadOnlyList<PageDelivered>? Delivered, long Callbacks, long Undecodable, string? Source, double? OutputLatency, double? BaseLatency, double? OutputLagMs, double? PlayoutDelayMs);

    private sealed record PageDelivered(long Value, long Pts90k, double Video, double? Handed, double? Heard, int Deliveries);

    private sealed record PageMarker(long Value, double T);

    private sealed record PageOnset(double T, double Amplitude);
}
