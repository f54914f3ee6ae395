using System.Diagnostics;
using System.Threading.Channels;
using LiveHost.Media;
using Xunit.Abstractions;
using LiveHost.Host.Rooms;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// A host whose viewers start so close to live (a 16-packet queue, smaller than a keyframe) that they almost always join between keyframes,
/// as a viewer arriving at a random moment of a 2 s GOP does.
/// </summary>
public sealed class MidGopWatchServer : IAsyncLifetime
{
    public WatchServer Server { get; } = new();

    public Task InitializeAsync()
    {
        Server.Settings["WebRtc:ViewerQueuePackets"] = "16";
        return Server.InitializeAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

/// <summary>Keyframes on demand, end to end: a viewer's join, PLI or FIR reaches the room's encoder and an IDR comes back.</summary>
public sealed class KeyframeRequestTests(MidGopWatchServer fixture, ITestOutputHelper output) : IClassFixture<MidGopWatchServer>
{
    [Fact]
    public async Task A_pli_and_a_fir_sent_over_srtcp_each_bring_an_idr_within_a_few_frames_not_at_the_next_gop()
    {
        var server = fixture.Server;
        using var client = server.Client();
        var room = server.Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
        var encoder = room.Encoder;
        var timestampBase = room.WebRtc!.VideoTimestampBase;

        // Every IDR the encoder publishes, as the RTP timestamp the room's WebRTC stream gives it, in publish order.
        // Subscribing asks for an IDR; wait for it, so that the viewer below joins on IDRs this list has.
        var published = Channel.CreateUnbounded<uint>();
        using var subscription = encoder.Output.Subscribe("keyframe-test", capacity: 4096);
        using var reading = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!reading.IsCancellationRequested)
            {
                var frame = await subscription.ReadAsync(reading.Token);
                if (frame.Kind == MediaKind.Video && frame.IsKeyframe) published.Writer.TryWrite(unchecked(timestampBase + (uint)frame.Pts90k));
            }
        });
        var publishedOrder = new List<uint>();
        try
        {
            await ReadPublishedUntilAsync(published, publishedOrder, _ => true);

            await using var viewer = await ManagedViewer.ConnectAsync(client, "main");
            await viewer.WaitForIdrAfterAsync(0, TimeSpan.FromSeconds(10));
            var session = server.WebRtc.Sessions.Single(s => s.Remote?.ToString()?.EndsWith(":" + viewer.LocalPort, StringComparison.Ordinal) == true);

            var waits = new List<double>();
            foreach (var kind in new[] { "PLI", "FIR" })
            {
                // 700 ms after the last IDR: past the session's and the encoder's 500 ms request throttles, and at least
                // 1.3 s before the GOP's own next IDR, so an IDR that comes quickly can only be the answer.
                var last = viewer.IdrArrivals[^1];
                var quiet = TimeSpan.FromMilliseconds(700) - Stopwatch.GetElapsedTime(last);
                if (quiet > TimeSpan.Zero) await Task.Delay(quiet);
                var sent = Stopwatch.GetTimestamp();
                if (kind == "PLI") viewer.SendPli(); else viewer.SendFir(1);
                var answered = await viewer.WaitForIdrAfterAsync(sent, TimeSpan.FromSeconds(3));
                var wait = Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds;
                waits.Add(wait);
                output.WriteLine($"{kind}: IDR arrived {wait:F0} ms after it was sent ({Stopwatch.GetElapsedTime(last, sent).TotalMilliseconds:F0} ms after the previous IDR); " +
                    $"encoder: {encoder.Counters.KeyframeRequests} requests, {encoder.Counters.KeyframesForced} forced, {encoder.Counters.VideoKeyframesOut} IDRs out; viewer saw {viewer.IdrArrivals.Count} IDR starts");
            }

            // Then a whole GOP with no request: its IDR arrives too (one more picture; IDR starts count every slice and SPS).
            await viewer.WaitForIdrPicturesAsync(viewer.IdrTimestamps.Count + 1, TimeSpan.FromSeconds(5));
            var seen = viewer.IdrTimestamps;
            // The viewer has seen every IDR published from its first to its newest: compared by identity, once the
            // encoder's list holds the newest one, so no count is sampled at a moment the other side has not reached.
            await ReadPublishedUntilAsync(published, publishedOrder, t => t == seen[^1]);
            var seenSet = seen.ToHashSet();
            var from = publishedOrder.FindIndex(seenSet.Contains);
            Assert.True(from >= 0, "the viewer saw none of the IDRs the encoder published");
            var to = publishedOrder.LastIndexOf(seen[^1]);
            var window = publishedOrder[from..(to + 1)];
            output.WriteLine($"IDRs published from the viewer's first to its newest: {window.Count}; seen by the viewer: {seen.Count}");
            var missed = window.Where(t => !seenSet.Contains(t)).ToArray();
            Assert.True(missed.Length == 0, $"the viewer never saw {missed.Length} of the {window.Count} IDRs published while it watched");
            Assert.True(window.Count >= 4, $"{window.Count} IDRs (join, PLI, FIR and the GOP's were expected)");
            Assert.Equal(2, session.Counters.KeyframeRequests);
            Assert.All(waits, wait => Assert.True(wait < 400, $"an IDR took {wait:F0} ms to answer a request; the GOP alone would take over 1300 ms"));
            Assert.True(viewer.VideoPackets > 50, $"{viewer.VideoPackets} video packets");
        }
        finally
        {
            await reading.CancelAsync();
            await reader.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Reads published IDR timestamps into <paramref name="order"/> until one matches (bounded: 10 s).</summary>
    private static async Task ReadPublishedUntilAsync(Channel<uint> published, List<uint> order, Func<uint, bool> until)
    {
        if (order.Exists(t => until(t))) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var timestamp = await published.Reader.ReadAsync(timeout.Token);
            order.Add(timestamp);
            if (until(timestamp)) return;
        }
    }

    [Fact]
    public async Task A_viewer_joining_between_keyframes_gets_an_idr_forced_by_the_room_encoder_instead_of_waiting_for_the_gop()
    {
        var server = fixture.Server;
        // The other test's viewer may still be winding down; count only what this one causes.
        var encoder = server.Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main").Encoder;
        // Let the room run past its first GOP so that the viewer cannot simply land on the opening IDR.
        await Task.Delay(2500);
        var forcedBefore = encoder.Counters.KeyframesForced;
        var keyframesBefore = encoder.Counters.VideoKeyframesOut;

        await using var browser = await BrowserSession.LaunchAsync();
        // Two viewers a second apart: a join can land right on a GOP keyframe (a few percent of the time), two in a row cannot.
        for (var viewer = 1; viewer <= 2; viewer++)
        {
            var page = await browser.Context.NewPageAsync();
            var opened = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(server.BaseAddress, "/watch/main").ToString());
            await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(20), $"viewer {viewer}'s first decoded frame");
            output.WriteLine($"viewer {viewer}: first frame {opened.Elapsed.TotalMilliseconds:F0} ms after opening the page; " +
                $"IDRs forced so far {encoder.Counters.KeyframesForced - forcedBefore}, IDRs out {encoder.Counters.VideoKeyframesOut - keyframesBefore}, " +
                $"PLI/FIR from chromium {string.Join("+", server.WebRtc.Sessions.Select(s => s.Counters.KeyframeRequests))}");
            await Task.Delay(1000);
        }

        Assert.True(server.WebRtc.ViewersOf("main") >= 2, $"{server.WebRtc.ViewersOf("main")} viewers");
        Assert.True(encoder.Counters.KeyframesForced - forcedBefore >= 1, "two viewers joined between keyframes and no IDR was forced");

        using var client = server.Client();
        var metrics = await client.GetStringAsync("/metrics");
        var series = metrics.Split('\n').Single(l => l.StartsWith("livehost_encoder_keyframes_forced_total{room=\"main\"}", StringComparison.Ordinal));
        Assert.True(double.Parse(series.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 1, series);
    }
}
