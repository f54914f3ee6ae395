using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Prometheus;

namespace LiveHost.ControlPlane.Tests;

/// <summary>The sink on its own, with nothing draining it: what the pump would see after a burst.</summary>
public sealed class HubRoomEventSinkTests
{
    private static Line Finished(string id) => new(id, "main", "t", "en", LineStatus.Done, FinishReason.Completed, DateTimeOffset.UnixEpoch, null, null);

    private static RoomState State(long frame) => new("main", "en", RoomActivity.Idle, false, null, [], 1, 1, 30, frame, []);

    private static List<RoomEvent> Drain(HubRoomEventSink sink)
    {
        var sent = new List<RoomEvent>();
        while (sink.Reader.TryRead(out var roomEvent))
        {
            if (sink.TakeForSending(roomEvent))
            {
                sent.Add(roomEvent);
            }
        }

        return sent;
    }

    [Fact]
    public void Under_a_burst_only_old_state_changes_are_dropped_and_every_line_event_is_kept_in_order()
    {
        var sink = new HubRoomEventSink(new LiveHostMetrics(Metrics.NewCustomRegistry()), maxPendingStates: 8);

        for (var i = 1; i <= 1000; i++)
        {
            sink.StateChanged(State(i));
            if (i % 10 == 0)
            {
                sink.LineFinished(Finished($"l{i}"));
            }
        }

        var sent = Drain(sink);
        var lines = sent.Where(e => !e.IsState).Select(e => ((Line)e.Payload).Id).ToArray();
        var states = sent.Where(e => e.IsState).Select(e => ((RoomState)e.Payload).FrameIndex).ToArray();

        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"l{i * 10}"), lines);
        Assert.Equal(Enumerable.Range(993, 8).Select(i => (long)i), states);
        Assert.Equal(992, sink.DroppedStates);
        Assert.Equal(0, sink.Pending);
    }

    [Fact]
    public void States_taken_by_the_pump_free_their_place_so_a_steady_trickle_drops_nothing()
    {
        var sink = new HubRoomEventSink(new LiveHostMetrics(Metrics.NewCustomRegistry()), maxPendingStates: 2);

        var sent = new List<RoomEvent>();
        for (var i = 1; i <= 100; i++)
        {
            sink.StateChanged(State(i));
            sent.AddRange(Drain(sink));
        }

        Assert.Equal(100, sent.Count);
        Assert.Equal(0, sink.DroppedStates);
    }

    [Fact]
    public void Under_a_burst_of_state_changes_every_QueueChanged_is_kept_in_order()
    {
        var sink = new HubRoomEventSink(new LiveHostMetrics(Metrics.NewCustomRegistry()), maxPendingStates: 4);

        for (var i = 1; i <= 500; i++)
        {
            sink.StateChanged(State(i));
            sink.QueueChanged("main", [$"q{i}"]);
        }

        var sent = Drain(sink);
        var queues = sent.Where(e => e.Name == ControlHubEvents.QueueChanged).Select(e => ((QueueChange)e.Payload).LineIds.Single()).ToArray();

        Assert.Equal(Enumerable.Range(1, 500).Select(i => $"q{i}"), queues);
        Assert.Equal(496, sink.DroppedStates);
    }
}
