using System.Net.Http.Json;
using System.Threading.Channels;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.ControlPlane.Tests.Cluster;

/// <summary>The SignalR Redis backplane (a real redis-server): room events reach subscribers on every node.</summary>
public sealed class BackplaneTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_hub_client_on_a_third_node_gets_the_events_of_a_line_sent_to_the_first_for_a_room_on_the_second()
    {
        var queued = Channel.CreateUnbounded<Line>();
        var hub = await _cluster.C.ConnectAsync(ControlPlaneTestHost.ViewerKey, c => c.On<Line>("LineQueued", line => queued.Writer.TryWrite(line)));
        var state = await hub.InvokeAsync<RoomState>("Subscribe", "main");
        Assert.Equal("main", state.Room);

        using var response = await _cluster.A.Client(ControlPlaneTestHost.SellerKey)
            .PostAsJsonAsync("/api/rooms/main/lines", new { text = "Heard on node C", language = "en" });
        var ticket = (await response.Content.ReadFromJsonAsync<LineTicket>())!;

        using var timeout = new CancellationTokenSource(Patience);
        var line = await queued.Reader.ReadAsync(timeout.Token);
        Assert.Equal(ticket.Id, line.Id);
        Assert.Equal("Heard on node C", line.Text);
    }

    [Fact]
    public async Task Events_keep_their_order_across_the_backplane()
    {
        var queued = Channel.CreateUnbounded<string>();
        var hub = await _cluster.C.ConnectAsync(ControlPlaneTestHost.ViewerKey, c => c.On<Line>("LineQueued", line => queued.Writer.TryWrite(line.Text)));
        await hub.InvokeAsync<RoomState>("Subscribe", "main");
        var seller = _cluster.A.Client(ControlPlaneTestHost.SellerKey);

        var sent = Enumerable.Range(0, 20).Select(i => $"line {i}").ToArray();
        foreach (var text in sent)
        {
            using var response = await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text, language = "en" });
            response.EnsureSuccessStatusCode();
        }

        using var timeout = new CancellationTokenSource(Patience);
        var received = new List<string>();
        while (received.Count < sent.Length) received.Add(await queued.Reader.ReadAsync(timeout.Token));
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task After_redis_restarts_events_reach_the_other_nodes_again_without_restarting_them()
    {
        var queued = Channel.CreateUnbounded<Line>();
        var hub = await _cluster.C.ConnectAsync(ControlPlaneTestHost.ViewerKey, c => c.On<Line>("LineQueued", line => queued.Writer.TryWrite(line)));
        await hub.InvokeAsync<RoomState>("Subscribe", "main");

        await _cluster.Redis.RestartAsync();

        // Events published while the nodes reconnect are lost (pub/sub keeps no history): send a line, wait up to 2 s
        // for it on C, and send the next, until one arrives.
        var seller = _cluster.A.Client(ControlPlaneTestHost.SellerKey);
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            using var response = await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "after the restart", language = "en" }, patience.Token);
            var ticket = (await response.Content.ReadFromJsonAsync<LineTicket>(patience.Token))!;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(patience.Token);
            wait.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                while (true)
                {
                    if ((await queued.Reader.ReadAsync(wait.Token)).Id == ticket.Id) return;
                }
            }
            catch (OperationCanceledException) when (!patience.IsCancellationRequested)
            {
                // Not delivered yet: the subscription is being restored.
            }
        }
    }
}
