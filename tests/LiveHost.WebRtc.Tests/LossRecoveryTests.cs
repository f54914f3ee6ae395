using LiveHost.WebRtc.Sessions;

namespace LiveHost.WebRtc.Tests;

/// <summary>A host that loses 3% of the media packets it sends, as a poor network would.</summary>
public sealed class LossyWatchServer : IAsyncLifetime
{
    public WatchServer Server { get; } = new();

    public Task InitializeAsync()
    {
        Server.Settings["WebRtc:SimulatedSendLossPercent"] = "3";
        return Server.InitializeAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

public sealed class LossRecoveryTests(LossyWatchServer lossy) : IClassFixture<LossyWatchServer>
{
    [Fact]
    public async Task Lost_packets_are_nacked_by_chromium_and_resent_from_the_room_ring_and_the_picture_keeps_going()
    {
        var server = lossy.Server;
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/watch/main").ToString());
        await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(20), "the first decoded frame");
        var session = Assert.Single(server.WebRtc.Sessions);

        // 150 frames (6 s of stream) through 3% loss: the picture keeps going, however long a busy machine takes to
        // show them, and the gaps were filled by NACKed retransmissions.
        var start = await PlayerProbe.StatsAsync(page);
        await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded - start.FramesDecoded >= 150, TimeSpan.FromSeconds(60),
            $"150 more decoded frames with 3% loss (from {start.FramesDecoded})");

        Assert.True(session.Counters.SimulatedLoss > 0, "no packet was withheld");
        Assert.True(session.Counters.Nacks > 0, $"chromium sent no NACK for {session.Counters.SimulatedLoss} lost packets");
        Assert.True(session.Counters.Retransmissions > 0, "nothing was retransmitted");
        Assert.Equal(ViewerSessionState.Live, session.State);
    }
}
