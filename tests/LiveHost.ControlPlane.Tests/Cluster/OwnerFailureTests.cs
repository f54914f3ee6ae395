using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using LiveHost.ControlPlane.Cluster;
using LiveHost.TestSupport;

namespace LiveHost.ControlPlane.Tests.Cluster;

/// <summary>What a node answers when the room's owner is gone or silent (Cluster:ForwardTimeout 1 s here).</summary>
public sealed class OwnerFailureTests : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartAsync(new() { ["Cluster:ForwardTimeout"] = "00:00:01" });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_owner_that_refuses_connections_makes_the_room_answer_room_moving()
    {
        // A port nothing listens on: the owner's process is gone, its lease not yet lapsed.
        var gone = new ClusterNode("node-gone", new Uri($"http://127.0.0.1:{FreePort.GetLoopbackTcpPort()}/"));
        ClusterNodes.Directory(_cluster.A).Place("orphan", gone);

        using var response = await _cluster.A.Client(ControlPlaneTestHost.SellerKey).PostAsJsonAsync("/api/rooms/orphan/lines", new { text = "hello", language = "en" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("roomMoving", problem.GetProperty("code").GetString());
        Assert.Contains("node-gone", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_owner_that_does_not_answer_in_time_gives_503_saying_the_command_may_have_run()
    {
        // Accepts the connection and never answers: a frozen owner.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptSocketAsync();
        ClusterNodes.Directory(_cluster.A).Place("frozen", new ClusterNode("node-frozen", new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/")));

        using var response = await _cluster.A.Client(ControlPlaneTestHost.SellerKey).PostAsJsonAsync("/api/rooms/frozen/lines", new { text = "hello", language = "en" });
        using var socket = await accepted;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unavailable", problem.GetProperty("code").GetString());
        Assert.Contains("may have run", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
