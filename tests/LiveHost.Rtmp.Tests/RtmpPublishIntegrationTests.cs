using System.Diagnostics;
using System.Text.Json;
using LiveHost.Media;
using LiveHost.Rtmp.Network;
using LiveHost.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace LiveHost.Rtmp.Tests;

/// <summary>End to end against a real nginx-rtmp on 127.0.0.1, checked by ffprobe.</summary>
[Collection(NginxCollection.Name)]
public sealed class RtmpPublishIntegrationTests(SyntheticStreamFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(20);

    private static RtmpOutputOptions FastOptions => new() { BackoffMin = TimeSpan.FromMilliseconds(250), BackoffMax = TimeSpan.FromSeconds(2), Addresses = LoopbackAllowed };

    /// <summary>nginx listens on 127.0.0.1, which outputs may reach only when private networks are allowed.</summary>
    internal static readonly OutputAddressPolicy LoopbackAllowed = new(new OutputNetworkOptions { AllowPrivateNetworks = true });

    private static RtmpOutputOptions DefaultOptions => new() { Addresses = LoopbackAllowed };

    [Fact]
    public async Task Published_stream_probes_as_h264_aac_320x240_25fps_48k_with_aigc_label()
    {
        await using var nginx = await NginxRtmpServer.StartNewAsync();
        var broadcaster = new MediaBroadcaster(fixture.Stream.Format);
        using var publishing = new CancellationTokenSource();
        var publisher = fixture.Stream.PublishAsync(broadcaster, publishing.Token);
        await using (var outputs = new RtmpOutputSet(broadcaster, DefaultOptions, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            var info = outputs.Add(nginx.RtmpUrl("main"));
            Assert.Equal("rtmp-1", info.Id);
            await WaitForAsync(() => outputs.List()[0].Status == "live" && outputs.List()[0].BytesSent > 50_000, TimeSpan.FromSeconds(10));

            var probe = await FfmpegTools.ProbeAsync(nginx.RtmpUrl("main"), ProbeTimeout);
            output.WriteLine(probe.Json);

            var video = Assert.IsType<ProbedStream>(probe.Video);
            var audio = Assert.IsType<ProbedStream>(probe.Audio);
            Assert.Equal("h264", video.CodecName);
            Assert.Equal((320, 240), (video.Width, video.Height));
            Assert.Equal(25, video.AvgFramesPerSecond ?? video.RFramesPerSecond ?? 0, precision: 1);
            Assert.Equal("aac", audio.CodecName);
            Assert.Equal(48_000, audio.SampleRate);
            Assert.Equal(1, audio.Channels);

            Assert.True(probe.FormatTags.TryGetValue("AIGC", out var aigc), $"no AIGC tag in {probe.Json}");
            using var label = JsonDocument.Parse(aigc);
            Assert.Equal("1", label.RootElement.GetProperty("Label").GetString());
            Assert.Equal(outputs.Label.ProduceId, label.RootElement.GetProperty("ProduceID").GetString());
            Assert.False(string.IsNullOrEmpty(label.RootElement.GetProperty("ProduceID").GetString()));
            Assert.Equal("LiveHost", label.RootElement.GetProperty("ContentProducer").GetString());

            // The sine survives the trip: decode 1.5 s of the relayed audio and measure it (lavfi's sine is 1/8 full scale).
            var samples = await FfmpegTools.PullAudioAsync(nginx.RtmpUrl("main"), 1.5);
            Assert.InRange(samples.Length, 16_000, 16_000 * 2);
            var rms = FfmpegTools.Rms(samples.AsSpan(samples.Length - 8000));
            output.WriteLine($"audio RMS {rms:0.000}");
            Assert.InRange(rms, 0.05, 0.15);

            var listed = Assert.Single(outputs.List());
            Assert.DoesNotContain("main", listed.Url.Split('/')[^1], StringComparison.Ordinal);
            Assert.Equal(1, listed.Connects);
        }
        await publishing.CancelAsync();
        await publisher;
        Assert.Equal(0, broadcaster.SubscriberCount);
    }

    [Fact]
    public async Task Removing_a_live_output_ends_its_publication_with_deleteStream_before_it_closes()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        var broadcaster = new MediaBroadcaster(fixture.Stream.Format);
        using var publishing = new CancellationTokenSource();
        var publisher = fixture.Stream.PublishAsync(broadcaster, publishing.Token);
        await using (var outputs = new RtmpOutputSet(broadcaster, DefaultOptions, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            var info = outputs.Add(nginx.RtmpUrl("removed"));
            await notifications.WaitForAsync("publish", "removed", TimeSpan.FromSeconds(20));

            Assert.True(await outputs.RemoveAsync(info.Id));
            await notifications.WaitForAsync("publish_done", "removed", TimeSpan.FromSeconds(5));
        }
        await publishing.CancelAsync();
        await publisher;

        // nginx logs our deleteStream, then the disconnect (a bare close logs the disconnect first).
        var log = await File.ReadAllLinesAsync(nginx.ErrorLogPath);
        var connection = log.Single(l => l.Contains("publish: name='removed'", StringComparison.Ordinal)).Split(' ')[4];
        var ours = log.Where(l => l.Contains(connection + " ", StringComparison.Ordinal)).ToArray();
        output.WriteLine(string.Join('\n', ours));
        var deleted = Array.FindIndex(ours, l => l.Contains(" deleteStream", StringComparison.Ordinal));
        var disconnected = Array.FindIndex(ours, l => l.Contains(" disconnect", StringComparison.Ordinal));
        // nginx may not have logged the close yet when we read; a bare close never logs deleteStream before it.
        Assert.True(deleted >= 0 && (disconnected < 0 || disconnected > deleted), "the output closed its connection without deleteStream");
    }

    [Fact]
    public async Task Two_outputs_to_two_stream_keys_both_probe_fine()
    {
        await using var nginx = await NginxRtmpServer.StartNewAsync();
        var broadcaster = new MediaBroadcaster(fixture.Stream.Format);
        using var publishing = new CancellationTokenSource();
        var publisher = fixture.Stream.PublishAsync(broadcaster, publishing.Token);
        await using (var outputs = new RtmpOutputSet(broadcaster, FastOptions, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            outputs.Add(nginx.RtmpUrl("first"));
            outputs.Add(nginx.RtmpUrl("second"));
            await WaitForAsync(() => outputs.List().All(o => o.Status == "live" && o.BytesSent > 20_000), TimeSpan.FromSeconds(10));

            var probes = await Task.WhenAll(
                FfmpegTools.ProbeAsync(nginx.RtmpUrl("first"), ProbeTimeout),
                FfmpegTools.ProbeAsync(nginx.RtmpUrl("second"), ProbeTimeout));
            foreach (var probe in probes)
            {
                Assert.Equal("h264", probe.Video?.CodecName);
                Assert.Equal("aac", probe.Audio?.CodecName);
                Assert.Equal(320, probe.Video?.Width);
            }
            // Both outputs of one session carry the same production id.
            Assert.Equal(probes[0].FormatTags["AIGC"], probes[1].FormatTags["AIGC"]);
            Assert.Equal(2, broadcaster.SubscriberCount);
        }
        await publishing.CancelAsync();
        await publisher;
    }

    [Fact]
    public async Task Output_to_a_dead_port_reports_retrying_and_leaves_the_working_output_beside_it_alone()
    {
        await using var nginx = await NginxRtmpServer.StartNewAsync();
        var deadPort = FreePort.GetLoopbackTcpPort();
        var broadcaster = new MediaBroadcaster(fixture.Stream.Format);
        using var publishing = new CancellationTokenSource();
        var publisher = fixture.Stream.PublishAsync(broadcaster, publishing.Token);
        await using (var outputs = new RtmpOutputSet(broadcaster, FastOptions, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            var dead = outputs.Add($"rtmp://127.0.0.1:{deadPort}/live/nowhere");
            var good = outputs.Add(nginx.RtmpUrl("good"));
            await WaitForAsync(
                () => outputs.Get(dead.Id)?.Status == "retrying" && outputs.Get(dead.Id)?.LastError is not null && outputs.Get(good.Id)?.Status == "live",
                TimeSpan.FromSeconds(10));

            var probe = await FfmpegTools.ProbeAsync(nginx.RtmpUrl("good"), ProbeTimeout);
            Assert.Equal("h264", probe.Video?.CodecName);

            var deadInfo = outputs.Get(dead.Id)!;
            Assert.Equal("retrying", deadInfo.Status);
            Assert.Equal(0, deadInfo.Connects);
            Assert.Equal(0, deadInfo.BytesSent);
            Assert.Contains("ConnectionRefused", deadInfo.LastError, StringComparison.Ordinal);
            var goodInfo = outputs.Get(good.Id)!;
            Assert.Equal(("live", 1L, 0L), (goodInfo.Status, goodInfo.Connects, goodInfo.DroppedFrames));

            // Removing the dead one stops it and leaves the good one running.
            Assert.True(await outputs.RemoveAsync(dead.Id));
            Assert.Null(outputs.Get(dead.Id));
            Assert.Equal("live", Assert.Single(outputs.List()).Status);
        }
        await publishing.CancelAsync();
        await publisher;
    }

    [Fact]
    public async Task Output_comes_back_live_within_15_seconds_after_nginx_is_killed_and_restarted_and_its_last_error_clears()
    {
        await using var nginx = await NginxRtmpServer.StartNewAsync();
        var broadcaster = new MediaBroadcaster(fixture.Stream.Format);
        using var publishing = new CancellationTokenSource();
        var publisher = fixture.Stream.PublishAsync(broadcaster, publishing.Token);
        await using (var outputs = new RtmpOutputSet(broadcaster, DefaultOptions, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            var id = outputs.Add(nginx.RtmpUrl("phoenix")).Id;
            await WaitForAsync(() => outputs.Get(id)!.Status == "live" && outputs.Get(id)!.BytesSent > 20_000, TimeSpan.FromSeconds(10));
            Assert.Null(outputs.Get(id)!.LastError);

            await nginx.StopAsync();
            // The dropped connection, then at least one refused reconnect against the dead port, are recorded.
            await WaitForAsync(() => outputs.Get(id)!.Status == "retrying" && outputs.Get(id)!.LastError is not null, TimeSpan.FromSeconds(10));
            var failed = outputs.Get(id)!;
            output.WriteLine($"after kill: {failed}");
            Assert.DoesNotContain("phoenix", failed.LastError, StringComparison.Ordinal);

            await nginx.StartAsync();
            var restarted = Stopwatch.StartNew();
            await WaitForAsync(() => outputs.Get(id)!.Status == "live", TimeSpan.FromSeconds(15));
            output.WriteLine($"live again {restarted.Elapsed.TotalSeconds:0.0} s after the restart: {outputs.Get(id)}");

            var probe = await FfmpegTools.ProbeAsync(nginx.RtmpUrl("phoenix"), ProbeTimeout);
            Assert.Equal("h264", probe.Video?.CodecName);
            Assert.Equal("aac", probe.Audio?.CodecName);
            Assert.True(probe.FormatTags.ContainsKey("AIGC"));
            var info = outputs.Get(id)!;
            Assert.Equal(2, info.Connects);
            // Live again: the failure is history (it is cleared before the output reports live).
            Assert.Null(info.LastError);
        }
        await publishing.CancelAsync();
        await publisher;
    }

    /// <summary>Until <paramref name="condition"/> holds, checked at each state transition of any output of <paramref name="outputs"/> (no polling).</summary>
    internal static Task WaitForChangeAsync(RtmpOutputSet outputs, Func<bool> condition, TimeSpan timeout) =>
        EventCondition.WhenAsync<string>(h => outputs.OutputChanged += h, h => outputs.OutputChanged -= h, condition, timeout);

    internal static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"condition not met within {timeout}");
            await Task.Delay(50);
        }
    }
}
