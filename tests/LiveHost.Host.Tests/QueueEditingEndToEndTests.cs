using System.Threading.Channels;
using LiveHost.ControlPlane;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests;

/// <summary>Queue editing on the real host: its event path (metered sink, hub pump) carries QueueChanged to consoles.</summary>
public sealed class QueueEditingEndToEndTests(LiveHostServer server) : IClassFixture<LiveHostServer>
{
    [Fact]
    public async Task A_console_sees_each_edit_of_a_paused_rooms_queue_as_QueueChanged_in_order()
    {
        var seen = Channel.CreateUnbounded<string>();
        await server.ConnectAsync(LiveHostServer.ViewerKey, c => c.On<QueueChange>("QueueChanged", q => seen.Writer.TryWrite(string.Join(",", q.LineIds))));
        var producer = await server.ConnectAsync(LiveHostServer.ProducerKey);
        await producer.InvokeAsync("Pause");
        try
        {
            var a = await producer.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "First."));
            var b = await producer.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "Second."));
            var moved = await producer.InvokeAsync<RoomState>("MoveLine", b.Id, 0);
            var removed = await producer.InvokeAsync<RoomState>("RemoveLine", a.Id);

            Assert.Equal([b.Id, a.Id], moved.Queue.Select(l => l.Id));
            Assert.Equal([b.Id], removed.Queue.Select(l => l.Id));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var got = new List<string>();
            while (got.LastOrDefault() != b.Id || got.Count < 4) got.Add(await seen.Reader.ReadAsync(timeout.Token));
            Assert.Equal([a.Id, $"{a.Id},{b.Id}", $"{b.Id},{a.Id}", b.Id], got.Where(g => g.Contains(a.Id, StringComparison.Ordinal) || g == b.Id));
        }
        finally
        {
            await producer.InvokeAsync("ClearQueue");
            await producer.InvokeAsync("Resume");
        }
    }
}
