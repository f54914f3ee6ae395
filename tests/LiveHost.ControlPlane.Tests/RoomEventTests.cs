using System.Threading.Channels;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR.Client;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

public sealed class RoomEventTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Line LineOf(string room, string id, LineStatus status, FinishReason? reason = null) =>
        new(id, room, "text " + id, "en", status, reason, DateTimeOffset.UnixEpoch, null, null);

    private static RoomState StateOf(string room, long frame) =>
        new(room, "en", RoomActivity.Speaking, false, null, [], 1280, 720, 30, frame, []);

    /// <summary>Records every event a connection receives, in arrival order, as "Name:detail".</summary>
    private static Channel<string> Record(HubConnection connection)
    {
        var received = Channel.CreateUnbounded<string>();
        connection.On<Line>("LineQueued", l => received.Writer.TryWrite($"LineQueued:{l.Room}:{l.Id}:{l.Status}"));
        connection.On<Line>("LineStarted", l => received.Writer.TryWrite($"LineStarted:{l.Room}:{l.Id}:{l.Status}"));
        connection.On<Line>("LineFinished", l => received.Writer.TryWrite($"LineFinished:{l.Room}:{l.Id}:{l.Reason}"));
        connection.On<RoomState>("StateChanged", s => received.Writer.TryWrite($"StateChanged:{s.Room}:{s.FrameIndex}"));
        return received;
    }

    private static async Task<List<string>> TakeAsync(Channel<string> received, Func<string, bool> until)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var got = new List<string>();
        while (true)
        {
            var item = await received.Reader.ReadAsync(timeout.Token);
            got.Add(item);
            if (until(item))
            {
                return got;
            }
        }
    }

    [Fact]
    public async Task Events_reach_a_client_subscribed_to_the_room_in_order_and_not_one_that_is_not()
    {
        var watcher = await _host.ConnectAsync(ViewerKey);
        var watched = Record(watcher);
        var initial = await watcher.InvokeAsync<RoomState>("Subscribe", "studio-b");
        var mainOnly = await _host.ConnectAsync(ViewerKey);
        var mainOnlyEvents = Record(mainOnly);
        // StartAsync can return before the server's OnConnectedAsync has put the connection in main's group; the server
        // runs a connection's invocations only after OnConnectedAsync, so one answered call means it is in the group.
        await mainOnly.InvokeAsync<RoomState>("GetState");

        _host.Sink.LineQueued(LineOf("studio-b", "b1", LineStatus.Queued));
        _host.Sink.LineStarted(LineOf("studio-b", "b1", LineStatus.Speaking));
        _host.Sink.StateChanged(StateOf("studio-b", 7));
        _host.Sink.LineFinished(LineOf("studio-b", "b1", LineStatus.Done, FinishReason.Completed));
        _host.Sink.LineQueued(LineOf("main", "m1", LineStatus.Queued));

        var got = await TakeAsync(watched, e => e.StartsWith("LineQueued:main", StringComparison.Ordinal));
        var mainGot = await TakeAsync(mainOnlyEvents, e => e.StartsWith("LineQueued:main", StringComparison.Ordinal));

        Assert.Equal("studio-b", initial.Room);
        Assert.Equal(
            ["LineQueued:studio-b:b1:Queued", "LineStarted:studio-b:b1:Speaking", "StateChanged:studio-b:7", "LineFinished:studio-b:b1:Completed", "LineQueued:main:m1:Queued"],
            got);
        Assert.Equal(["LineQueued:main:m1:Queued"], mainGot);
    }

    [Fact]
    public async Task A_burst_of_1000_state_changes_never_drops_a_line_finished_and_ends_on_the_newest_state()
    {
        var watcher = await _host.ConnectAsync(ViewerKey);
        var watched = Record(watcher);
        // One answered call means OnConnectedAsync has put the connection in main's group (see the test above); without
        // it a busy machine can send the whole burst before the connection joins, and the watcher hears nothing.
        await watcher.InvokeAsync<RoomState>("GetState");

        for (var i = 1; i <= 1000; i++)
        {
            _host.Sink.StateChanged(StateOf("main", i));
            if (i % 100 == 0)
            {
                _host.Sink.LineFinished(LineOf("main", $"line-{i}", LineStatus.Done, FinishReason.Completed));
            }
        }

        _host.Sink.LineFinished(LineOf("main", "last", LineStatus.Done, FinishReason.Cleared));

        var got = await TakeAsync(watched, e => e == "LineFinished:main:last:Cleared");
        var finished = got.Where(e => e.StartsWith("LineFinished", StringComparison.Ordinal)).ToArray();
        var states = got.Where(e => e.StartsWith("StateChanged", StringComparison.Ordinal)).Select(e => long.Parse(e.Split(':')[2])).ToArray();

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"LineFinished:main:line-{i * 100}:Completed").Append("LineFinished:main:last:Cleared"), finished);
        Assert.Equal(1000, states[^1]);
        Assert.Equal(states.Order(), states);
        // Each LineFinished comes after the state that preceded it in the burst: ordering survives dropping.
        var finishedAt = got.IndexOf("LineFinished:main:line-500:Completed");
        Assert.All(got.Take(finishedAt).Where(e => e.StartsWith("StateChanged", StringComparison.Ordinal)), e => Assert.True(long.Parse(e.Split(':')[2]) <= 500));
    }
}
