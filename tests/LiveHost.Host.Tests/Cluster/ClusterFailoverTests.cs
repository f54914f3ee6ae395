using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Tests.Faults;
using LiveHost.TestSupport;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Cluster;

/// <summary>
/// Several nodes on one Redis and one PostgreSQL (issue 15 points 2 and 4), each a real LiveHost process: rooms are
/// spread over the nodes; a room's owner killed with SIGKILL while lines wait and an RTMP output runs -> another node
/// runs the room within 10 s with every unfinished line and the output back; an owner paused with SIGSTOP past its
/// lease stops the room on waking without writing; Redis restarted -> every node keeps its rooms; PostgreSQL down ->
/// commands refused with 503, then accepted again.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    [ClusterFact]
    public async Task Rooms_spread_over_three_nodes_and_a_killed_owners_room_with_queued_lines_and_an_output_resumes_on_another_node_within_10_s()
    {
        await using var notify = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notify.Url);
        await using var cluster = await TestCluster.StartAsync(3, new Dictionary<string, string> { ["Rooms__r1__Outputs__0__Url"] = nginx.RtmpUrl("r1") });

        var holders = await cluster.AllHeldAsync(TestCluster.Settle);
        output.WriteLine("placement: " + string.Join(", ", holders.Select(p => $"{p.Key}@{p.Value}")));
        Assert.Equal(3, holders.Values.Distinct().Count());
        await notify.WaitForAsync("publish", "r1", TestCluster.Settle);

        var owner = cluster.Node(holders["r1"]);
        using var client = owner.Client(TestCluster.AdminKey);
        // Paused, so that the lines are all still waiting at the kill, whatever the machine's speed.
        var accepted = await TestCluster.PauseAndQueueAsync(client, "r1", 4, i => $"Line {i} of four, spoken once on whichever node runs the room.");
        var tookOver = cluster.Nodes.Where(n => n != owner).Select(n => n.WaitForOutputAsync("Cluster: took room r1 ", TestCluster.Settle)).ToArray();
        var published = notify.WaitForAsync("publish", "r1", TestCluster.Settle);
        var killed = Stopwatch.StartNew();
        await owner.KillAsync();
        await await Task.WhenAny(tookOver);
        var took = killed.Elapsed;
        output.WriteLine($"r1 taken over {took.TotalSeconds:F2} s after SIGKILL of {holders["r1"]}");
        Assert.True(took < TestCluster.Takeover, $"r1 was taken over after {took.TotalSeconds:F1} s");

        var next = (await cluster.HoldersAsync())["r1"];
        Assert.NotEqual(holders["r1"], next);
        using var nextClient = cluster.Node(next).Client(TestCluster.AdminKey);
        var state = (await nextClient.GetFromJsonAsync<RoomState>("/api/rooms/r1"))!;
        Assert.True(state.Paused, "the room is not paused on its new node");
        Assert.Equal(accepted, state.Queue.Select(l => l.Id));
        await published;
        output.WriteLine($"r1's RTMP output published again {killed.Elapsed.TotalSeconds:F2} s after the kill");

        // Each accepted line is spoken and finishes once, completed, on the new owner.
        Assert.Equal(HttpStatusCode.OK, (await nextClient.PostAsync("/api/rooms/r1/resume", null)).StatusCode);
        await AssertEachFinishedOnceAsync(cluster, "r1", accepted, "not every accepted line finished on the new owner");
    }

    [ClusterFact]
    public async Task A_node_stopped_with_SIGTERM_drains_its_room_to_another_node_with_every_queued_line_spoken_once()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var holders = await cluster.AllHeldAsync(TestCluster.Settle);
        var owner = cluster.Node(holders["r1"]);
        var other = cluster.Nodes.Single(n => n != owner);
        // Through the node that stays: forwarded to the owner until it leaves, answered by the new owner after.
        using var client = other.Client(TestCluster.AdminKey);
        var accepted = await TestCluster.PauseAndQueueAsync(client, "r1", 3, i => $"Drained line {i}, spoken once on the node that stays.");

        var released = owner.WaitForOutputAsync("Cluster: stopped room r1: this node is shutting down", TestCluster.Settle);
        var tookOver = other.WaitForOutputAsync("Cluster: took room r1 ", TestCluster.Settle);
        var stopping = Stopwatch.StartNew();
        await owner.SignalAsync("TERM");
        // A clean stop lets the lease go (it does not wait for it to expire), and the other node takes the room.
        await released;
        await tookOver;
        output.WriteLine($"r1 taken over {stopping.Elapsed.TotalSeconds:F2} s after SIGTERM");
        Assert.True(stopping.Elapsed < TestCluster.Takeover, $"r1 was taken over after {stopping.Elapsed.TotalSeconds:F1} s");

        var state = (await client.GetFromJsonAsync<RoomState>("/api/rooms/r1"))!;
        Assert.True(state.Paused, "the room is not paused on the node that stays");
        Assert.Equal(accepted, state.Queue.Select(l => l.Id));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/rooms/r1/resume", null)).StatusCode);
        await AssertEachFinishedOnceAsync(cluster, "r1", accepted, "not every accepted line finished on the node that stays");
    }

    [ClusterFact]
    public async Task An_owner_paused_past_its_lease_stops_the_room_on_waking_and_never_writes_with_its_stale_token()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var holders = await cluster.AllHeldAsync(TestCluster.Settle);
        var owner = cluster.Node(holders["r1"]);
        var other = cluster.Nodes.Single(n => n != owner);
        using (var client = owner.Client(TestCluster.AdminKey))
        {
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/rooms/r1/lines", new { text = $"Paused owner line {i}." })).StatusCode);
            }
        }
        var fenceBefore = (await cluster.FenceAsync("r1"))!.Value;
        var tookOver = other.WaitForOutputAsync("Cluster: took room r1 ", TestCluster.Settle);
        await owner.SignalAsync("STOP");
        await tookOver;
        // The new owner pauses the room and skips the line it resumed, so from here on it has no reason to write r1's lines.
        using var otherClient = other.Client(TestCluster.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await otherClient.PostAsync("/api/rooms/r1/pause", null)).StatusCode);
        (await otherClient.PostAsync("/api/rooms/r1/skip", null)).Dispose();
        Assert.True(await WaitUntilAsync(async () => (await otherClient.GetFromJsonAsync<RoomState>("/api/rooms/r1"))!.Current is null, TestCluster.Settle),
            "the new owner's current line did not end after pausing");
        var fenceAfter = (await cluster.FenceAsync("r1"))!.Value;
        Assert.True(fenceAfter.Token > fenceBefore.Token, $"token {fenceBefore.Token} -> {fenceAfter.Token}");
        var linesAfterTakeover = await cluster.LinesAsync("r1");

        var stopped = owner.WaitForOutputAsync("Cluster: stopped room r1:", TestCluster.Settle);
        await owner.SignalAsync("CONT");
        var line = await stopped;
        output.WriteLine("woken owner: " + line);
        Assert.Contains("lease ran out", line, StringComparison.Ordinal);
        // The woken node no longer answers for the room itself: it forwards to the new owner (issue 15 point 3),
        // never 200 from its own stopped copy.
        using var ownerClient = owner.Client(TestCluster.AdminKey);
        using var asked = await ownerClient.GetAsync("/api/rooms/r1");
        Assert.True(asked.IsSuccessStatusCode, $"the woken node answered {(int)asked.StatusCode} for r1");
        Assert.Equal(TestCluster.IdOf(cluster.Nodes.IndexOf(other)), Assert.Single(asked.Headers.GetValues(LiveHost.ControlPlane.Cluster.ClusterHeaders.ServedBy)));
        // Nothing the woken node did reached the store: the lines are as the new owner left them, its token stands.
        Assert.Equal(linesAfterTakeover, await cluster.LinesAsync("r1"));
        Assert.Equal(fenceAfter, (await cluster.FenceAsync("r1"))!.Value);
        Assert.Equal(other, cluster.Node((await cluster.HoldersAsync())["r1"]));
    }

    [ClusterFact]
    public async Task Nodes_keep_their_rooms_across_a_Redis_restart_and_refuse_commands_with_503_while_PostgreSQL_is_down()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var holders = await cluster.AllHeldAsync(TestCluster.Settle);
        var restored = cluster.Nodes.Select(n => n.WaitForOutputAsync("is held again with token", TestCluster.Settle)).ToArray();
        var stoppedAny = cluster.Nodes.Select(n => n.WaitForOutputAsync("Cluster: stopped room", TestCluster.Settle)).ToArray();
        await cluster.Redis.RestartAsync();
        await Task.WhenAll(restored);
        // The room list comes back with the nodes' next registration (every third of a lease).
        Assert.True(await WaitUntilAsync(async () => (await cluster.HoldersAsync()).Count == holders.Count, TestCluster.Settle), "the rooms' list did not come back");
        Assert.Equal(holders, await cluster.HoldersAsync());
        Assert.DoesNotContain(stoppedAny, t => t.IsCompleted);
        output.WriteLine("after the Redis restart: " + string.Join(", ", (await cluster.HoldersAsync()).Select(p => $"{p.Key}@{p.Value}")));

        var owner = cluster.Node(holders["r2"]);
        using var client = owner.Client(TestCluster.AdminKey);
        await cluster.Postgres.StopAsync();
        var refused = await client.PostAsJsonAsync("/api/rooms/r2/lines", new { text = "Refused while the store is down." });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("storageFailed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await cluster.Postgres.StartAsync();
        var accepted = await WaitUntilAsync(async () =>
            (await client.PostAsJsonAsync("/api/rooms/r2/lines", new { text = "Accepted once the store is back." })).StatusCode == HttpStatusCode.Accepted, TestCluster.Settle);
        Assert.True(accepted, "no line was accepted after PostgreSQL came back");
        Assert.Equal(holders, await cluster.HoldersAsync());
        Assert.DoesNotContain(stoppedAny, t => t.IsCompleted);
    }

    // Each accepted line is spoken and finishes once, completed (the store has one row per line, done once).
    private static async Task AssertEachFinishedOnceAsync(TestCluster cluster, string room, IReadOnlyList<string> accepted, string failure)
    {
        var finished = await WaitUntilAsync(async () => (await cluster.LinesAsync(room)) is var lines && accepted.All(id => lines.Any(l => l.Id == id && l.Status == "done")), TimeSpan.FromSeconds(120));
        Assert.True(finished, failure);
        Assert.All((await cluster.LinesAsync(room)).Where(l => accepted.Contains(l.Id)), l => Assert.Equal("completed", l.Reason));
    }

    // For conditions only the store or a retried command can tell: checked again at each of the server's retry intervals.
    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var limit = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        do
        {
            try
            {
                if (await condition()) return true;
            }
            catch (HttpRequestException)
            {
            }
        }
        while (limit.Elapsed < timeout && await timer.WaitForNextTickAsync());
        return false;
    }
}
