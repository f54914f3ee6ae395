using System.Net;
using System.Net.Http.Json;
using LiveHost.ControlPlane.Cluster;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Tests.Faults;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Cluster;

/// <summary>
/// One control plane over three real LiveHost processes (issue 15 point 4): a line sent over REST to node A for a room
/// node B runs is spoken on that room's RTMP output (nginx-rtmp, pulled with ffmpeg: silent before, speech while the
/// line plays), and a hub client connected to node C receives the line's events over the Redis backplane.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ClusterSpeakingTests(ITestOutputHelper output)
{
    // About ten seconds of espeak-ng speech: still on air after the event crosses the backplane and ffmpeg connects.
    private const string Text = "This line was sent to one node and is spoken by another. Welcome to the show, today we have three great " +
        "products for you, and the first one is a kettle that boils water in one minute.";

    [ClusterFact]
    public async Task A_line_sent_to_node_A_for_a_room_node_B_runs_is_spoken_on_its_RTMP_output_and_a_hub_client_on_node_C_gets_its_events()
    {
        await using var notify = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notify.Url);
        const string room = "r1";
        await using var cluster = await TestCluster.StartAsync(3, new Dictionary<string, string> { [$"Rooms__{room}__Outputs__0__Url"] = nginx.RtmpUrl(room) });
        var holders = await cluster.AllHeldAsync(TestCluster.Settle);
        output.WriteLine("placement: " + string.Join(", ", holders.Select(p => $"{p.Key}@{p.Value}")));
        var b = cluster.Node(holders[room]);
        var others = cluster.Nodes.Where(n => n != b).ToArray();
        var (a, c) = (others[0], others[1]);
        await notify.WaitForAsync("publish", room, TestCluster.Settle);

        var started = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(c.BaseAddress, "/hubs/control"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(TestCluster.AdminKey))
            .Build();
        hub.On<Line>("LineStarted", l => { if (l.Room == room) started.TrySetResult(l); });
        hub.On<Line>("LineFinished", l => { if (l.Room == room) finished.TrySetResult(l); });
        await hub.StartAsync();
        var subscribed = await hub.InvokeAsync<RoomState>("Subscribe", room);
        Assert.Equal(room, subscribed.Room);
        Assert.Null(subscribed.Current);

        // Before the line: the room's output carries silence.
        var idle = await FfmpegTools.PullAudioAsync(nginx.RtmpUrl(room), 2);

        using var client = a.Client(TestCluster.AdminKey);
        using var post = await client.PostAsJsonAsync($"/api/rooms/{room}/lines", new { text = Text, language = "en" });
        Assert.True(post.StatusCode == HttpStatusCode.Accepted, $"{(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
        Assert.Equal(holders[room], Assert.Single(post.Headers.GetValues(ClusterHeaders.ServedBy)));
        var ticket = (await post.Content.ReadFromJsonAsync<LineTicket>())!;

        // The line starts on B; C hears of it over the backplane; while it plays, B's RTMP output carries speech.
        var line = await started.Task.WaitAsync(TestCluster.Settle);
        Assert.Equal(ticket.Id, line.Id);
        var speech = await FfmpegTools.PullAudioAsync(nginx.RtmpUrl(room), 3);
        var idleRms = FfmpegTools.Rms(idle);
        var speechRms = FfmpegTools.Rms(speech);
        output.WriteLine($"RMS on {room}'s RTMP output: idle {idleRms:F4}, while the line plays {speechRms:F4}");
        Assert.True(idleRms < 0.005, $"the output is not silent before the line: RMS {idleRms}");
        Assert.True(speechRms > 0.02 && speechRms > 10 * idleRms, $"speech RMS {speechRms} vs idle RMS {idleRms}");

        var done = await finished.Task.WaitAsync(TestCluster.Settle);
        Assert.Equal((ticket.Id, FinishReason.Completed), (done.Id, done.Reason));
        // The line played for its length on B, as the events C received say.
        Assert.True(done.DurationMs > 3000, $"the line's duration was {done.DurationMs} ms");
        Assert.True(done.FinishedAt - done.StartedAt >= TimeSpan.FromMilliseconds(done.DurationMs!.Value * 0.9),
            $"started {done.StartedAt:O}, finished {done.FinishedAt:O}, duration {done.DurationMs} ms");
    }
}
