using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using LiveHost.ControlPlane.Cluster;
using LiveHost.Engine.Lines;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHost.ControlPlane.Tests.Cluster;

/// <summary>
/// The backplane keeps the outboxes' guarantee: events that arrive from Redis are posted to each client's outbox, so
/// clients that stop reading on a node never hold the room's channel for a healthy client on the same node.
/// </summary>
public sealed class BackplaneSlowClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Clients_that_stopped_reading_on_a_node_never_delay_a_healthy_client_there_and_are_dropped()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using var cluster = await ClusterNodes.StartAsync(new()
        {
            ["ControlPlane:SlowClient:MaxBufferBytes"] = (256 * 1024).ToString(CultureInfo.InvariantCulture),
            ["ControlPlane:SlowClient:MaxSendDelay"] = "00:05:00",
        });
        var manager = Assert.IsType<OutboxRedisHubLifetimeManager>(cluster.C.Services.GetRequiredService<HubLifetimeManager<ControlHub>>());
        var drops = Channel.CreateUnbounded<string>();
        manager.ConnectionDropped += (_, reason) => drops.Writer.TryWrite(reason);
        var stalled = new List<StalledHubClient>();
        try
        {
            for (var i = 0; i < 3; i++) stalled.Add(await StalledHubClient.ConnectAsync(cluster.C.BaseAddress, ControlPlaneTestHost.ViewerKey, timeout.Token));

            // 400 events of about 16 KB: 6.4 MB per stalled client, more than its socket's buffers plus the outbox bound.
            const int events = 400;
            var text = new string('x', 16 * 1024);
            var sentAt = new long[events];
            var latencies = new List<double>();
            var arrived = Channel.CreateUnbounded<string>();
            var healthy = await cluster.C.ConnectAsync(ControlPlaneTestHost.ViewerKey, c => c.On<Line>("LineQueued", line =>
            {
                latencies.Add(Stopwatch.GetElapsedTime(sentAt[int.Parse(line.Id.AsSpan(5), CultureInfo.InvariantCulture)]).TotalMilliseconds);
                arrived.Writer.TryWrite(line.Id);
            }));
            await healthy.InvokeAsync<LiveHost.Engine.Rooms.RoomState>("Subscribe", "main");

            for (var i = 0; i < events; i++)
            {
                // Raised on node B (the owner), received on node C through Redis.
                sentAt[i] = Stopwatch.GetTimestamp();
                cluster.B.Sink.LineQueued(new Line($"main-{i}", "main", text, "en", LineStatus.Queued, null, DateTimeOffset.UnixEpoch, null, null));
                Assert.Equal($"main-{i}", await arrived.Reader.ReadAsync(timeout.Token));
            }

            var sorted = latencies.Order().ToArray();
            var p99 = sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1];
            output.WriteLine($"healthy client on C: {events} events via Redis, p50 {sorted[sorted.Length / 2]:F1} ms, p99 {p99:F1} ms, max {sorted[^1]:F1} ms");
            Assert.True(sorted[^1] < 2000, $"an event waited {sorted[^1]:F0} ms");
            for (var i = 0; i < 3; i++) Assert.Equal("buffer", await drops.Reader.ReadAsync(timeout.Token));
            Assert.Equal(HubConnectionState.Connected, healthy.State);
        }
        finally
        {
            foreach (var client in stalled) await client.DisposeAsync();
        }
    }
}
