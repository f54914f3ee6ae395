using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Host.Rooms;
using LiveHost.Media;
using LiveHost.TestSupport.AvSync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// A/V sync where the viewer is (issue 17): room main stamps its frames and marks every 50th tick's audio with a tone;
/// Chromium plays /watch/main and the page reads both (<see cref="AvSyncReaderScript"/>). The short CI version of
/// <c>perf av-sync</c>, with a generous bound (120 ms) on the median offset once the viewer's own audio buffering is
/// taken out (<see cref="ViewerBufferCorrection"/>). The sound is timed on the element's own path (handed to the output,
/// plus the output's delay); the WebAudio tap, which hears the tone itself, checks that the tone is where that puts it.
/// <para>
/// Why the correction: on the shared 2-core machine (load 12-60) the sound trailed its frame by 100-800 ms with no tick
/// skipped, and tracing each run showed where it came from: Chromium's audio jitter buffer, sampled every 250 ms,
/// grew from about 80 ms to 150-760 ms, and the offset followed it within tens of ms (offset + buffer - 80 ms stayed
/// within -40..-110 ms while the raw offset ranged over 700 ms). The buffer grows after the server releases
/// audio late in a burst (a stall of the process: fixed by dropping such packets, <c>WebRtc:DropAudioLateMilliseconds</c>)
/// and also when the browser's own threads are starved; either way it is the loaded machine, and the browser reports
/// it. What the correction cannot take out is a sound the server sends too late for its picture: with
/// <c>Engine:AudioLeadMilliseconds=0</c> the corrected median was -145 to -176 ms at load 40-48 (fails), against -54 to
/// -83 ms with the default lead.
/// </para>
/// </summary>
public sealed class AvSyncWatchPageTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Markers = 8;
    private const double BoundMs = 120;
    private readonly WatchServer _server = new();

    public Task InitializeAsync()
    {
        _server.Settings["Rooms:main:FrameStamp"] = "true";
        _server.Settings["Rooms:main:AvSyncMarker"] = "true";
        // 640x360: 16-pixel stamp blocks, which the encode keeps clean (at 320x240 they are 10 pixels and do not decode).
        _server.Settings["Rooms:main:Width"] = "640";
        _server.Settings["Rooms:main:Height"] = "360";
        return _server.InitializeAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    // Issue 17: without Engine:AudioLeadMilliseconds the tone lagged its frame by 34-169 ms on a near-idle CI run
    // (2026-12-04 00:19, by the tap): Chromium shows video at once (playout delay 0/0) and the sound trails by its jitter
    // buffer. The default lead (40 ms) sends the audio that much early.
    [Fact]
    public async Task The_marker_tones_are_heard_within_120_ms_of_their_stamped_frames_once_the_viewers_own_audio_buffering_is_taken_out()
    {
        var room = _server.Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
        var trace = new AudioSendTrace(room.WebRtc!.Audio);
        room.WebRtc!.AddViewer(trace);
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(_server.BaseAddress, "/watch/main").ToString());
        await page.WaitForFunctionAsync("() => window.livehost && window.livehost.playing", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var source = await page.EvaluateAsync<string>(AvSyncReaderScript.Install,
            new { videoBase = (double)room.WebRtc!.VideoTimestampBase, audioBase = (double)room.WebRtc!.AudioTimestampBase });
        await page.EvaluateAsync(InboundAudioStatsScript.Install);
        var timeOrigin = await page.EvaluateAsync<double>("() => performance.timeOrigin");
        using (var seller = _server.Client(WatchServer.SellerKey))
        {
            for (var i = 0; i < 3; i++)
            {
                var post = await seller.PostAsJsonAsync("/api/rooms/main/lines",
                    new { text = "Good evening everyone, welcome to the live show. Let me tell you about today's offer, it is a very good one." });
                Assert.Equal(System.Net.HttpStatusCode.Accepted, post.StatusCode);
            }
        }

        // Waits on the page's own records (a marker every 2 s), not on a clock.
        try
        {
            await page.WaitForFunctionAsync($"() => window.__avsync.delivered.filter(d => d.heard !== null).length >= {Markers + 1} && window.__avsync.audio.length >= {Markers + 1}",
                null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 250 });
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"the page did not see {Markers + 1} markers in both streams: {await page.EvaluateAsync<string>(AvSyncReaderScript.Take)}", ex);
        }
        var taken = JsonDocument.Parse(await page.EvaluateAsync<string>(AvSyncReaderScript.Take)).RootElement;
        // The element's sound: each marker's first sample handed to the output (synchronization sources) plus the
        // output's delay (media-playout stats), against its stamped frame shown.
        var delivered = taken.GetProperty("delivered").EnumerateArray()
            .Where(d => d.GetProperty("heard").ValueKind == JsonValueKind.Number)
            .Select(d => (Value: d.GetProperty("value").GetInt64(), Video: d.GetProperty("video").GetDouble(), Handed: d.GetProperty("handed").GetDouble(), Heard: d.GetProperty("heard").GetDouble()))
            .ToList();
        var frames = delivered.Select(d => new MarkerFrame(d.Value, d.Video)).ToList();
        var onsets = delivered.Select(d => d.Heard).ToList();
        const double periodMs = AvSyncMarker.PeriodFrames * 40.0;
        var summary = AvSyncSummary.Of(frames, onsets, periodMs);
        // The tap hears the tone itself: its onsets, against the same frames, say the tone is where the RTP timestamps put it.
        var tapOnsets = taken.GetProperty("audio").EnumerateArray().Select(a => a.GetProperty("t").GetDouble()).ToList();
        var tap = AvSyncSummary.Of(taken.GetProperty("video").EnumerateArray().Select(v => new MarkerFrame(v.GetProperty("value").GetInt64(), v.GetProperty("t").GetDouble())), tapOnsets, periodMs);
        var tapAfterHanded = tap.Offsets.Join(delivered, t => t.Value, d => d.Value, (t, d) => t.AudioMs - d.Handed).ToList();
        var latency = await page.EvaluateAsync<JsonElement>("async () => (await window.livehost.stats()).latency");
        var statistics = _server.Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main").Engine.Statistics;
        var skippedMs = Interlocked.Read(ref statistics.SkippedFrames) * 40.0;

        var audioStats = JsonDocument.Parse(await page.EvaluateAsync<string>(InboundAudioStatsScript.Take)).RootElement;
        room.WebRtc!.RemoveViewer(trace);
        var buffers = audioStats.EnumerateArray()
            .Select(a => new AudioBufferSample(a.GetProperty("from").GetDouble(), a.GetProperty("t").GetDouble(), a.GetProperty("bufferMs").GetDouble())).ToList();
        var correctedOnsets = ViewerBufferCorrection.Of(onsets, buffers);
        var corrected = AvSyncSummary.Of(frames, correctedOnsets.Select(c => c.CorrectedMs), periodMs);
        var sends = trace.Lateness();

        var detail = $"audio from the {source}; engine skipped {skippedMs:0} ms of media; Opus packets dropped late {room.WebRtc!.AudioPacketsDroppedLate}, "
            + $"sent more than 120 ms late {sends.Count(l => l.LateMs > 120)} of {sends.Count} (max {(sends.Count > 0 ? sends.Max(l => l.LateMs) : 0):0} ms); "
            + $"{summary.Pairs} pairs, offsets {string.Join(", ", summary.Offsets.Select(o => o.AudioLeadMs.ToString("0")))} ms; "
            + $"viewer's audio buffer at the onsets {string.Join(", ", correctedOnsets.Select(c => c.BufferMs.ToString("0")))} ms; "
            + $"{corrected.Pairs} pairs corrected, offsets {string.Join(", ", corrected.Offsets.Select(o => o.AudioLeadMs.ToString("0")))} ms, median {corrected.P50Ms:0}; "
            + $"WebAudio tap: {tap.Pairs} pairs, offsets {string.Join(", ", tap.Offsets.Select(o => o.AudioLeadMs.ToString("0")))} ms, heard {string.Join(", ", tapAfterHanded.Select(d => d.ToString("0")))} ms after the element handed the sound over; "
            + $"tap calibration p50 {Median(taken.GetProperty("calibration").EnumerateArray().Select(c => c.GetDouble())):0} ms; frames {frames.Count}, onsets {onsets.Count}";
        output.WriteLine(detail);
        // LIVEHOST_AVSYNC_TRACE=dir keeps the whole run for a look at where the offset came from: each marker, each Opus
        // packet's release and lateness (Unix ms) and each stats sample (page clock; timeOrigin turns it into Unix ms).
        if (Environment.GetEnvironmentVariable("LIVEHOST_AVSYNC_TRACE") is { } traceDirectory)
        {
            var file = Path.Combine(traceDirectory, $"avsync-{DateTime.UtcNow:HHmmss}.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
            {
                timeOrigin,
                skippedMs,
                markers = summary.Offsets.Select(o => new { o.Value, o.VideoMs, o.AudioMs, leadMs = o.AudioLeadMs }),
                sends = sends.Select(l => new[] { l.SentMs, l.LateMs }),
                audio = audioStats,
            }));
            output.WriteLine("trace " + file);
        }
        // The first marker may have been half-seen as the reader started: most, not all, must pair, and most pairs must
        // have a stats sample to correct by (a starved page samples late).
        Assert.True(summary.Pairs >= Markers - 2, detail);
        Assert.True(corrected.Pairs >= Markers - 3, detail);
        // The tone is where the RTP timestamps say: the tap hears it a little after the element hands it over (52-61 ms
        // on an idle machine: its own buffer and output), never before, and a wrong timestamp mapping would put it off by
        // whole packets or ticks, or pair nothing.
        Assert.True(tapAfterHanded.Count >= Markers - 3, detail);
        Assert.True(tapAfterHanded.Count(d => d is >= 0 and <= 250) >= tapAfterHanded.Count - 1, detail);
        // The sync the server sent: the offset without the viewer's own extra audio buffering, the median over the run
        // (one marker a stall caught mid-sample reads that sample's average, not the tone's own wait). A lead far from
        // the browser's buffer, or tracks whose timelines drift apart, move it; a loaded viewer's buffer does not.
        Assert.True(Math.Abs(corrected.P50Ms) < BoundMs, detail);
        // Consecutive tones are as far apart as their frames' indices say, once corrected (250 ms of slack for the
        // browser's audio buffer moving within a stats sample; a skip is a gap on the media timeline too, so it needs
        // none): a detector firing on speech, or onsets paired with the wrong frames, would break this.
        const double slackMs = 250;
        Assert.All(corrected.Offsets.Zip(corrected.Offsets.Skip(1)),
            p => Assert.InRange(p.Second.AudioMs - p.First.AudioMs, (p.Second.Value - p.First.Value) * 40.0 - slackMs, (p.Second.Value - p.First.Value) * 40.0 + slackMs));
        // The page reports the browser's latency stages while it plays.
        Assert.True(latency.GetProperty("videoJitterBufferMs").ValueKind == JsonValueKind.Number, latency.GetRawText());
        Assert.True(latency.GetProperty("estimatedVideoPlayoutDelayMs").ValueKind == JsonValueKind.Number, latency.GetRawText());
        // ...and its own A/V offset estimate, in EBU R37's sign (> 0: the sound leads).
        var avOffset = latency.GetProperty("avOffsetMs");
        Assert.True(avOffset.ValueKind == JsonValueKind.Number, latency.GetRawText());
        Assert.Equal(-latency.GetProperty("audioBehindVideoMs").GetDouble(), avOffset.GetDouble());
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
