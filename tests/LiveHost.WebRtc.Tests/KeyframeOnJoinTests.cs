using System.Diagnostics;
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

public sealed class KeyframeOnJoinTests(MidGopWatchServer fixture, ITestOutputHelper output) : IClassFixture<MidGopWatchServer>
{
    [Fact]
    public async Task A_viewer_joining_between_keyframes_gets_an_idr_forced_by_the_room_encoder_instead_of_waiting_for_the_gop()
    {
        var server = fixture.Server;
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

        Assert.Equal(2, server.WebRtc.ViewersOf("main"));
        Assert.True(encoder.Counters.KeyframesForced - forcedBefore >= 1, "two viewers joined between keyframes and no IDR was forced");
    }
}
