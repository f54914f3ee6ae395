using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests;

/// <summary>The whole product, end to end: control plane in, RTMP out, on real espeak-ng, ffmpeg and nginx-rtmp.</summary>
public sealed partial class LiveHostEndToEndTests(LiveHostServer server, ITestOutputHelper output) : IClassFixture<LiveHostServer>
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_line_sent_through_the_hub_is_spoken_live_over_RTMP_at_the_configured_size_and_rate()
    {
        var started = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hub = await server.ConnectAsync(LiveHostServer.SellerKey, c =>
        {
            c.On<Line>("LineStarted", l => started.TrySetResult(l));
            c.On<Line>("LineFinished", l => finished.TrySetResult(l));
        });
        await WaitUntilIdleAsync(hub);

        var idle = await FfmpegTools.PullAudioAsync(server.StreamUrl, 2);
        var probe = await FfmpegTools.ProbeAsync(server.StreamUrl, TimeSpan.FromSeconds(15));
        var ticket = await hub.InvokeAsync<LineTicket>("EnqueueLine",
            new LineRequest(null, "Welcome to the show. Today we have three great products for you, and the first one is a kettle."));
        var line = await started.Task.WaitAsync(LineTimeout);
        var speech = await FfmpegTools.PullAudioAsync(server.StreamUrl, 3);

        Assert.Equal(ticket.Id, line.Id);
        var video = Assert.Single(probe.Streams, s => s.CodecType == "video");
        Assert.Equal(("h264", 320, 240), (video.CodecName, video.Width, video.Height));
        Assert.Equal(25, video.RFramesPerSecond ?? video.AvgFramesPerSecond ?? 0, 1);
        var audio = Assert.Single(probe.Streams, s => s.CodecType == "audio");
        Assert.Equal(("aac", 48000), (audio.CodecName, audio.SampleRate));
        var idleRms = FfmpegTools.Rms(idle);
        var speechRms = FfmpegTools.Rms(speech);
        // Rms is relative to full scale. Idle is digital silence through AAC; speech is espeak-ng at normal volume.
        Assert.True(idleRms < 0.005, $"idle is not silent-ish: RMS {idleRms}");
        Assert.True(speechRms > 0.02 && speechRms > 10 * idleRms, $"speech RMS {speechRms} vs idle RMS {idleRms}");

        var done = await finished.Task.WaitAsync(LineTimeout);
        Assert.Equal((ticket.Id, FinishReason.Completed), (done.Id, done.Reason));
    }

    [Fact]
    public async Task A_line_sent_over_REST_is_accepted_and_spoken()
    {
        using var client = server.Client(LiveHostServer.SellerKey);
        var post = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "Hello from the REST API.", language = "en" });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var ticket = await post.Content.ReadFromJsonAsync<LineTicket>();
        Assert.Equal("main", ticket!.Room);

        var deadline = DateTime.UtcNow + LineTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var state = await client.GetFromJsonAsync<RoomState>("/api/rooms/main");
            if (state!.Current?.Id == ticket.Id) return;
            await Task.Delay(50);
        }
        Assert.Fail("the REST line never became the current line");
    }

    public static TheoryData<string, string?, string, string> BadRequests() => new()
    {
        // key, room, text (a marker), what the message must say
        { LiveHostServer.SellerKey, null, "", "empty" },
        { LiveHostServer.SellerKey, null, "100000", "the limit is 5000" },
        { LiveHostServer.SellerKey, null, "lang:fr", "language" },
        { LiveHostServer.SellerKey, "nowhere", "hello", "unknown room 'nowhere'" },
        { LiveHostServer.ViewerKey, null, "hello", "seller" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_through_the_hub_is_refused_with_a_clear_message_and_changes_nothing(
        string key, string? room, string text, string expected)
    {
        var queued = new ConcurrentQueue<Line>();
        var watcher = await server.ConnectAsync(LiveHostServer.ProducerKey, c => c.On<Line>("LineQueued", queued.Enqueue));
        var before = await watcher.InvokeAsync<RoomState>("GetState");
        var caller = await server.ConnectAsync(key);
        var request = text switch
        {
            "100000" => new LineRequest(room, new string('a', 100_000)),
            "lang:fr" => new LineRequest(room, "bonjour", "fr"),
            _ => new LineRequest(room, text),
        };

        var error = await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<LineTicket>("EnqueueLine", request));

        Assert.True(error.Message.Contains(expected, StringComparison.OrdinalIgnoreCase), error.Message);
        await Task.Delay(200);
        var after = await watcher.InvokeAsync<RoomState>("GetState");
        Assert.Equal(before.Queue.Select(l => l.Id), after.Queue.Select(l => l.Id));
        Assert.Empty(queued);
    }

    [Fact]
    public async Task Killing_nginx_mid_stream_and_restarting_it_brings_the_output_back_live_within_5_seconds()
    {
        await server.WaitForOutputLiveAsync(TimeSpan.FromSeconds(20));
        var connectsBefore = await ScrapeAsync(@"livehost_output_connects_total\{room=""main"",output=""[^""]+""\} (\d+)");

        // SIGKILL: every connection drops at once, as in a crash.
        var killed = Stopwatch.StartNew();
        await server.Nginx.StopAsync();
        await server.WaitForOutputStatusAsync(s => s != "live", TimeSpan.FromSeconds(10), "not live");
        var noticed = killed.Elapsed;
        await server.Nginx.StartAsync();
        var restarted = Stopwatch.StartNew();
        await server.WaitForOutputLiveAsync(TimeSpan.FromSeconds(20));
        var back = restarted.Elapsed;
        output.WriteLine($"nginx killed: output left live after {noticed.TotalMilliseconds:F0} ms; live again {back.TotalMilliseconds:F0} ms after nginx listened again " +
            $"({killed.Elapsed.TotalMilliseconds:F0} ms after the kill)");
        Assert.True(back < TimeSpan.FromSeconds(5), $"the output took {back.TotalSeconds:F1} s to come back after nginx did");

        var probe = await FfmpegTools.ProbeAsync(server.StreamUrl, TimeSpan.FromSeconds(15));
        Assert.Contains(probe.Streams, s => s.CodecName == "h264");
        Assert.Contains(probe.Streams, s => s.CodecName == "aac");
        var connectsAfter = await ScrapeAsync(@"livehost_output_connects_total\{room=""main"",output=""[^""]+""\} (\d+)");
        Assert.True(connectsAfter > connectsBefore, $"connects {connectsBefore} -> {connectsAfter}");
    }

    [Fact]
    public async Task Metrics_follow_the_engine_and_the_outputs()
    {
        // The counter climbs with the engine (a busy machine gets there later, not never), and never faster than the
        // 25 fps clock allows between the two scrapes (a frame counted twice would).
        const string Rendered = @"livehost_frames_rendered_total\{room=""main""\} (\d+)";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var frames1 = await ScrapeAsync(Rendered);
        var frames2 = frames1;
        while (frames2 - frames1 < 25)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"frames rendered {frames1} -> {frames2} in {clock.Elapsed.TotalSeconds:F0} s");
            await Task.Delay(100);
            frames2 = await ScrapeAsync(Rendered);
        }
        Assert.True(frames2 - frames1 <= clock.Elapsed.TotalSeconds * 25 + 2,
            $"{frames2 - frames1} frames counted in {clock.Elapsed.TotalSeconds:F2} s at 25 fps");

        await server.WaitForOutputLiveAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await ScrapeAsync(@"livehost_output_up\{room=""main"",output=""[^""]+""\} (\d+)"));
        Assert.True(await ScrapeAsync(@"livehost_frame_render_seconds_count\{room=""main""\} (\d+)") > 0);
    }

    private async Task WaitUntilIdleAsync(HubConnection hub)
    {
        var deadline = DateTime.UtcNow + LineTimeout;
        while ((await hub.InvokeAsync<RoomState>("GetState")).Current is not null)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("room main never went idle");
            await Task.Delay(100);
        }
    }

    private async Task<double> ScrapeAsync(string pattern)
    {
        using var client = server.Factory.CreateClient();
        var text = await client.GetStringAsync("/metrics");
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"/metrics has no match for {pattern}:\n{text}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
