using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests;

/// <summary>Insert at a position, move, remove: the order the room speaks in, what it stores, and what it refuses.</summary>
public sealed class QueueEditingTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static LineRequest Say(string text) => new(null, text);

    private static async Task<string[]> EnqueueAsync(RoomFixture room, params string[] texts)
    {
        var ids = new List<string>();
        foreach (var text in texts) ids.Add((await room.Controller.EnqueueAsync(Say(text))).Id);
        return ids.ToArray();
    }

    private static string[] Waiting(RoomFixture room) => room.Queue.Snapshot().Select(l => l.Id).ToArray();

    [Fact]
    public async Task A_line_inserted_at_a_position_is_spoken_in_that_place()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 100);
        var ids = await EnqueueAsync(room, "a", "b", "c");

        var inserted = await room.Controller.InsertAsync(Say("inserted"), 1);
        room.Ticks(60);

        Assert.Equal(1, inserted.Position);
        Assert.Equal([ids[0], inserted.Id, ids[1], ids[2]], room.Events.Started.Select(l => l.Id));
    }

    [Fact]
    public async Task Insert_at_the_queue_length_appends_and_at_zero_goes_next_behind_the_line_speaking()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        var ids = await EnqueueAsync(room, "speaking", "waiting");
        room.Ticks(2);

        var last = await room.Controller.InsertAsync(Say("last"), 1);
        var next = await room.Controller.InsertAsync(Say("next"), 0);

        Assert.Equal(ids[0], room.Engine.CurrentLine?.Id);
        Assert.Equal([next.Id, ids[1], last.Id], Waiting(room));
        // Tickets count the line speaking, like EnqueueLine's.
        Assert.Equal((2, 1), (last.Position, next.Position));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public async Task Insert_at_a_position_out_of_range_is_refused_naming_the_range_and_nothing_is_stored(int position)
    {
        await using var room = new RoomFixture(_db.Path);
        var ids = await EnqueueAsync(room, "a", "b");
        var eventsBefore = room.Events.All.Count;

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.InsertAsync(Say("nowhere"), position).AsTask());

        Assert.Equal(RejectionCode.InvalidInput, refused.Code);
        Assert.Contains("use 0 (next) to 2 (last)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ids, Waiting(room));
        Assert.Equal(ids, room.Store.LoadUnfinished("main").Select(l => l.Id));
        Assert.Equal(eventsBefore, room.Events.All.Count);
    }

    [Fact]
    public async Task A_moved_line_is_spoken_in_its_new_place_and_QueueChanged_carries_the_new_order()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 100);
        var ids = await EnqueueAsync(room, "a", "b", "c");

        var state = await room.Controller.MoveAsync(ids[2], 0);

        Assert.Equal([ids[2], ids[0], ids[1]], state.Queue.Select(l => l.Id));
        Assert.Equal([ids[2], ids[0], ids[1]], room.Events.Queues.Last());
        room.Ticks(60);
        Assert.Equal([ids[2], ids[0], ids[1]], room.Events.Started.Select(l => l.Id));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public async Task A_move_to_a_position_out_of_range_is_refused_naming_the_range_and_nothing_changes(int position)
    {
        await using var room = new RoomFixture(_db.Path);
        var ids = await EnqueueAsync(room, "a", "b", "c");
        var queueEvents = room.Events.Queues.Count;

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.MoveAsync(ids[0], position).AsTask());

        Assert.Equal(RejectionCode.InvalidInput, refused.Code);
        Assert.Contains("use 0 (next) to 2 (last)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ids, Waiting(room));
        Assert.Equal(queueEvents, room.Events.Queues.Count);
    }

    [Fact]
    public async Task Moving_or_removing_the_line_that_is_speaking_is_refused_as_not_queued()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        var ids = await EnqueueAsync(room, "speaking", "waiting");
        room.Ticks(2);

        var move = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.MoveAsync(ids[0], 0).AsTask());
        var remove = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.RemoveAsync(ids[0]).AsTask());

        Assert.Equal((RejectionCode.LineNotQueued, RejectionCode.LineNotQueued), (move.Code, remove.Code));
        Assert.Contains("speaking", move.Message, StringComparison.Ordinal);
        Assert.Equal(ids[0], room.Engine.CurrentLine?.Id);
        Assert.Equal([ids[1]], Waiting(room));
    }

    [Fact]
    public async Task Moving_a_finished_line_is_refused_as_not_queued()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 100);
        var ids = await EnqueueAsync(room, "done soon", "waiting");
        room.Ticks(10);
        Assert.Equal(ids[0], room.Events.Finished.First().Id);
        await room.Journal.FlushAsync();

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.MoveAsync(ids[0], 0).AsTask());

        Assert.Equal(RejectionCode.LineNotQueued, refused.Code);
        Assert.Contains("finished", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moving_or_removing_an_unknown_line_is_refused_as_unknown_and_nothing_changes()
    {
        await using var room = new RoomFixture(_db.Path);
        var ids = await EnqueueAsync(room, "a", "b");

        var move = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.MoveAsync("no-such-line", 0).AsTask());
        var remove = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.RemoveAsync("no-such-line").AsTask());

        Assert.Equal((RejectionCode.UnknownLine, RejectionCode.UnknownLine), (move.Code, remove.Code));
        Assert.Contains("no-such-line", move.Message, StringComparison.Ordinal);
        Assert.Equal(ids, Waiting(room));
        Assert.Empty(room.Events.Finished);
    }

    [Fact]
    public async Task A_removed_line_finishes_removed_is_never_spoken_and_stays_gone_after_a_restart()
    {
        string[] ids;
        await using (var before = new RoomFixture(_db.Path, lineMilliseconds: 100))
        {
            ids = await EnqueueAsync(before, "a", "b", "c");

            var state = await before.Controller.RemoveAsync(ids[1]);

            Assert.Equal([ids[0], ids[2]], state.Queue.Select(l => l.Id));
            var removed = Assert.Single(before.Events.Finished);
            Assert.Equal((ids[1], FinishReason.Removed, LineStatus.Done), (removed.Id, removed.Reason!.Value, removed.Status));
            Assert.Equal([ids[0], ids[2]], before.Events.Queues.Last());
        }

        await using var after = new RoomFixture(_db.Path, lineMilliseconds: 100);
        Assert.Equal([ids[0], ids[2]], Waiting(after));
        after.Ticks(40);
        Assert.DoesNotContain(after.Events.Started, l => l.Id == ids[1]);
    }

    [Fact]
    public async Task The_edited_order_survives_a_restart()
    {
        string[] expected;
        await using (var before = new RoomFixture(_db.Path, lineMilliseconds: 2000))
        {
            var ids = await EnqueueAsync(before, "a", "b", "c", "d");
            var inserted = await before.Controller.InsertAsync(Say("inserted"), 2);   // a b I c d
            await before.Controller.MoveAsync(ids[3], 0);                              // d a b I c
            await before.Controller.MoveAsync(ids[0], 4);                              // d b I c a
            var back = await before.Controller.EnqueueAsync(Say("back"));             // d b I c a back
            var cued = await before.Controller.CueNowAsync(Say("cued"));              // C d b I c a back
            await before.Controller.RemoveAsync(ids[2]);                              // C d b I a back
            expected = [cued.Id, ids[3], ids[1], inserted.Id, ids[0], back.Id];
            Assert.Equal(expected, Waiting(before));
        }

        await using var after = new RoomFixture(_db.Path);
        Assert.Equal(expected, Waiting(after));
    }

    [Fact]
    public async Task Every_change_of_the_queue_raises_QueueChanged_with_the_order_it_left_in_order()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        var a = (await room.Controller.EnqueueAsync(Say("a"))).Id;
        var b = (await room.Controller.EnqueueAsync(Say("b"))).Id;
        var i = (await room.Controller.InsertAsync(Say("i"), 0)).Id;
        await room.Controller.MoveAsync(a, 2);
        room.Ticks(1);                                      // i starts
        await room.Controller.RemoveAsync(b);
        var c = (await room.Controller.CueNowAsync(Say("c"))).Id;
        await room.Controller.ClearQueueAsync();

        string[] expected = [$"{a}", $"{a},{b}", $"{i},{a},{b}", $"{i},{b},{a}", $"{b},{a}", $"{a}", $"{c},{a}", ""];
        Assert.Equal(expected, room.Events.Queues.Select(q => string.Join(",", q)));
        Assert.Equal(i, Assert.Single(room.Events.Started).Id);
    }
}
