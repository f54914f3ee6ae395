using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.ControlPlane.Cluster;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.ControlPlane.Tests.Cluster;

/// <summary>
/// Issue 15 point 3 over real HTTP between real Kestrel hosts and a real redis-server (<see cref="ClusterNodes"/>):
/// commands sent to a node that does not run the room reach the node that does, and answer as if local.
/// </summary>
public sealed class CommandForwardingTests : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_line_posted_to_a_node_without_the_room_is_queued_and_stored_by_the_owner()
    {
        using var response = await _cluster.A.Client(ControlPlaneTestHost.SellerKey)
            .PostAsJsonAsync("/api/rooms/main/lines", new { text = "Forwarded to the owner", language = "en" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("node-b", response.Headers.GetValues(ClusterHeaders.ServedBy).Single());
        Assert.Equal("/api/rooms/main", response.Headers.Location?.OriginalString);
        var ticket = (await response.Content.ReadFromJsonAsync<LineTicket>())!;
        Assert.Contains(_cluster.Room.Controller.GetState().Queue, line => line.Id == ticket.Id && line.Text == "Forwarded to the owner");
        Assert.Contains(_cluster.Room.Store.LoadUnfinished("main"), line => line.Id == ticket.Id);
    }

    [Fact]
    public async Task A_refusal_forwarded_from_the_owner_is_the_owners_answer_unchanged()
    {
        var direct = _cluster.B.Client(ControlPlaneTestHost.SellerKey);
        var viaA = _cluster.A.Client(ControlPlaneTestHost.SellerKey);

        using var fromB = await direct.PostAsJsonAsync("/api/rooms/main/lines", new { text = "", language = "en" });
        using var fromA = await viaA.PostAsJsonAsync("/api/rooms/main/lines", new { text = "", language = "en" });

        Assert.Equal(HttpStatusCode.BadRequest, fromB.StatusCode);
        Assert.Equal(fromB.StatusCode, fromA.StatusCode);
        Assert.Equal(fromB.Content.Headers.ContentType?.ToString(), fromA.Content.Headers.ContentType?.ToString());
        var b = await fromB.Content.ReadFromJsonAsync<JsonElement>();
        var a = await fromA.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(b.GetProperty("code").GetString(), a.GetProperty("code").GetString());
        Assert.Equal(b.GetProperty("detail").GetString(), a.GetProperty("detail").GetString());
        Assert.Empty(_cluster.Room.Controller.GetState().Queue);
    }

    [Fact]
    public async Task The_callers_own_key_is_what_the_owner_checks()
    {
        // A viewer may not queue lines: the owner refuses it (403), whichever node it was sent to.
        using var response = await _cluster.A.Client(ControlPlaneTestHost.ViewerKey)
            .PostAsJsonAsync("/api/rooms/main/lines", new { text = "not allowed", language = "en" });
        using var noKey = await _cluster.A.Client(null).GetAsync("/api/rooms/main");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Empty(_cluster.Room.Controller.GetState().Queue);
    }

    [Fact]
    public async Task A_hub_command_for_a_room_on_another_node_runs_there_and_returns_its_result()
    {
        var hub = await _cluster.A.ConnectAsync(ControlPlaneTestHost.ProducerKey);

        var ticket = await hub.InvokeAsync<LineTicket>("EnqueueLine", new { room = "main", text = "Queued over the hub on A", language = "en" });
        var second = await hub.InvokeAsync<LineTicket>("InsertLine", new { room = "main", text = "Inserted first", language = "en" }, 0);
        var state = await hub.InvokeAsync<RoomState>("GetState", "main");
        var afterRemove = await hub.InvokeAsync<RoomState>("RemoveLine", ticket.Id, "main");

        Assert.Equal("main", ticket.Room);
        Assert.Equal([second.Id, ticket.Id], state.Queue.Select(l => l.Id).ToArray());
        Assert.Equal([second.Id], afterRemove.Queue.Select(l => l.Id).ToArray());
        Assert.Equal([second.Id], _cluster.Room.Controller.GetState().Queue.Select(l => l.Id).ToArray());

        await hub.InvokeAsync("ClearQueue", "main");
        Assert.Empty(_cluster.Room.Controller.GetState().Queue);
    }

    [Fact]
    public async Task A_hub_command_refused_by_the_owner_comes_back_as_the_usual_hub_error()
    {
        var hub = await _cluster.A.ConnectAsync(ControlPlaneTestHost.ProducerKey);
        using var fromB = await _cluster.B.Client(ControlPlaneTestHost.ProducerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = "  ", language = "en" });
        var expected = (await fromB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();

        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<LineTicket>("EnqueueLine", new { room = "main", text = "  ", language = "en" }));

        Assert.Contains(expected!, error.Message, StringComparison.Ordinal);
        Assert.Empty(_cluster.Room.Controller.GetState().Queue);
    }

    [Fact]
    public async Task A_room_no_node_holds_answers_503_room_moving_with_retry_after()
    {
        using var response = await _cluster.A.Client(ControlPlaneTestHost.SellerKey)
            .PostAsJsonAsync("/api/rooms/between-owners/lines", new { text = "wait", language = "en" });
        var hub = await _cluster.A.ConnectAsync(ControlPlaneTestHost.ProducerKey);
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<RoomState>("GetState", "between-owners"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("roomMoving", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Contains("moving", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_nodes_that_each_think_the_other_runs_a_room_forward_once_and_answer_room_moving()
    {
        ClusterNodes.Directory(_cluster.A).Place("disputed", ClusterNodes.Node(_cluster.B));
        ClusterNodes.Directory(_cluster.B).Place("disputed", ClusterNodes.Node(_cluster.A));

        using var response = await _cluster.A.Client(ControlPlaneTestHost.SellerKey)
            .PostAsJsonAsync("/api/rooms/disputed/lines", new { text = "ping pong", language = "en" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("roomMoving", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("node-b", response.Headers.GetValues(ClusterHeaders.ServedBy).Single());
        // B refused the forwarded request instead of sending it back; A never received one.
        Assert.Single(_cluster.B.Logs.Messages, m => m.Contains("forwarded by node node-a for room disputed", StringComparison.Ordinal));
        Assert.DoesNotContain(_cluster.A.Logs.Messages, m => m.Contains("Refused a request forwarded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Whep_on_a_node_without_the_room_redirects_307_to_the_owners_whep_url()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _cluster.A.BaseAddress };
        using var offer = new StringContent("v=0\r\n", System.Text.Encoding.UTF8, "application/sdp");

        using var response = await client.PostAsync("/whep/main?key=abc", offer);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(new Uri(_cluster.B.BaseAddress, "/whep/main?key=abc"), response.Headers.Location);
    }

    [Fact]
    public async Task The_room_list_on_any_node_names_every_room_with_its_node()
    {
        using var response = await _cluster.C.Client(ControlPlaneTestHost.ViewerKey).GetAsync("/api/rooms");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { "main" }, body.GetProperty("rooms").EnumerateArray().Select(r => r.GetString() ?? "").ToArray());
        var main = body.GetProperty("placement").EnumerateArray().Single();
        Assert.Equal("node-b", main.GetProperty("node").GetString());
        Assert.Equal(_cluster.B.BaseAddress.ToString(), main.GetProperty("nodeUrl").GetString());
        Assert.False(main.GetProperty("local").GetBoolean());
    }
}
