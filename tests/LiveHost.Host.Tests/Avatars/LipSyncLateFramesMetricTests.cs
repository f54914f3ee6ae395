using System.Globalization;
using System.Text.RegularExpressions;
using LiveHost.Avatars.Realistic;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>/metrics counts the frames a realistic room showed without a fresh mouth because lip-sync was late.</summary>
[Collection(AvatarHostCollection.Name)]
public sealed partial class LipSyncLateFramesMetricTests(SyntheticAvatarPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Lip_sync_results_that_miss_the_wait_show_in_metrics_as_late_frames_as_the_avatar_counted_them()
    {
        var settings = package.Settings(package.NewRevocationList());
        // The runner holds a lone room's frame for its batch window (100 ms here) and the avatar waits 1 ms for it: the
        // result is late on every frame (and the next frames find it still in flight).
        settings["Inference:BatchWindowMs"] = "100";
        settings["Avatars:LipSyncWaitMilliseconds"] = "1";
        await using var host = new AvatarTestHost(settings);
        host.Start();
        await host.WaitForFramesAsync(25, TimeSpan.FromSeconds(30));
        var avatar = Assert.IsType<RealisticAvatar>(host.Recorder.Inner);
        using var client = host.Client();

        var before = avatar.LateFrames;
        var scraped = Late(await client.GetStringAsync("/metrics"));
        var after = avatar.LateFrames;

        output.WriteLine($"late frames: {before} before the scrape, {scraped} scraped, {after} after; lip-synced {avatar.LipSyncedFrames}");
        Assert.True(before > 0, "no frame was late with a 1 ms wait on a 100 ms batch window");
        // The scrape reads the avatar's own count between the two reads.
        Assert.InRange(scraped, before, after);
    }

    private static long Late(string metrics)
    {
        var match = LateSample().Match(metrics);
        Assert.True(match.Success, "no livehost_lipsync_late_frames_total{room=\"main\"} sample");
        return (long)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^livehost_lipsync_late_frames_total\{room="main"\} (\S+)""", RegexOptions.Multiline)]
    private static partial Regex LateSample();
}
