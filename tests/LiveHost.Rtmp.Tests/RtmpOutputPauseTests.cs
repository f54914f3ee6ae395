using LiveHost.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace LiveHost.Rtmp.Tests;

/// <summary>Pause ends the publication at the server and connects no more; resume publishes again. Real nginx-rtmp.</summary>
[Collection(NginxCollection.Name)]
public sealed class RtmpOutputPauseTests(SyntheticStreamFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Pausing_a_live_output_ends_its_publication_and_resuming_publishes_again_on_a_new_connection()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        await using var clip = new PlayingClip(fixture.Stream);
        var broadcaster = clip.Broadcaster;
        var options = new RtmpOutputOptions { Addresses = RtmpPublishIntegrationTests.LoopbackAllowed };
        await using (var outputs = new RtmpOutputSet(broadcaster, options, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            var id = outputs.Add(nginx.RtmpUrl("paused")).Id;
            await notifications.WaitForAsync("publish", "paused", Timeout);

            var paused = outputs.Pause(id)!;
            Assert.Equal("paused", paused.Status);
            // The server is told the stream ended (FCUnpublish, deleteStream), as when an output is removed.
            await notifications.WaitForAsync("publish_done", "paused", Timeout);
            Assert.Equal("paused", outputs.Pause(id)!.Status);
            var whilePaused = outputs.Get(id)!;
            Assert.Equal((1L, 0L, 0L), (whilePaused.Connects, whilePaused.Reconnects, whilePaused.BitsPerSecond));

            var resumed = outputs.Resume(id)!;
            Assert.NotEqual("paused", resumed.Status);
            await notifications.WaitForAsync("publish", "paused", Timeout);
            await RtmpPublishIntegrationTests.WaitForAsync(() => outputs.Get(id)!.Status == "live", Timeout);
            var after = outputs.Get(id)!;
            // A resume is a fresh start, not a reconnect after a failure.
            Assert.Equal((2L, 0L, (string?)null), (after.Connects, after.Reconnects, after.LastError));
            Assert.Null(outputs.Pause("rtmp-99"));
            Assert.Null(outputs.Resume("rtmp-99"));
        }
    }

    [Fact]
    public async Task An_output_held_paused_before_it_is_added_never_connects_until_resumed()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        await using var clip = new PlayingClip(fixture.Stream);
        var options = new RtmpOutputOptions { Addresses = RtmpPublishIntegrationTests.LoopbackAllowed };
        await using var outputs = new RtmpOutputSet(clip.Broadcaster, options, new TestOutputLoggerFactory(output), TimeProvider.System);

        outputs.HoldPaused(["rtmp-1"]);
        var held = outputs.Add(nginx.RtmpUrl("held"));
        Assert.Equal(("rtmp-1", "paused"), (held.Id, held.Status));
        // A second output added after it publishes: the held one had as long and made no connection.
        var free = outputs.Add(nginx.RtmpUrl("free"));
        Assert.Equal("rtmp-2", free.Id);
        await notifications.WaitForAsync("publish", "free", Timeout);
        var stillHeld = outputs.Get(held.Id)!;
        Assert.Equal(("paused", 0L), (stillHeld.Status, stillHeld.Connects));

        Assert.NotEqual("paused", outputs.Resume(held.Id)!.Status);
        await notifications.WaitForAsync("publish", "held", Timeout);
    }

    [Fact]
    public async Task A_live_output_reports_the_bitrate_it_sends()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        await using var clip = new PlayingClip(fixture.Stream);
        var broadcaster = clip.Broadcaster;
        var options = new RtmpOutputOptions { Addresses = RtmpPublishIntegrationTests.LoopbackAllowed };
        await using (var outputs = new RtmpOutputSet(broadcaster, options, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            var id = outputs.Add(nginx.RtmpUrl("rate")).Id;
            await notifications.WaitForAsync("publish", "rate", Timeout);
            await RtmpPublishIntegrationTests.WaitForAsync(() => outputs.Get(id)!.BitsPerSecond > 0, Timeout);
            var info = outputs.Get(id)!;
            var stream = fixture.Stream;
            var clipBitsPerSecond = (long)(stream.Samples.Sum(s => (long)s.Data.Length) * 8 / (stream.LoopLength90k / 90_000.0));
            output.WriteLine($"{info}; clip bitrate {clipBitsPerSecond} bit/s");
            // What went out per second is the clip's own rate plus RTMP framing, within a generous band on a busy machine
            // (the first second also carries the backlog a new subscriber starts with).
            Assert.InRange(info.BitsPerSecond, clipBitsPerSecond / 3, clipBitsPerSecond * 3);
        }
    }
}
