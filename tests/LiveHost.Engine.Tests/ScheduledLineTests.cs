using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Engine.Tests;

/// <summary>
/// Lines with <c>at</c>: they wait in the room's schedule and at that moment go to the front of the queue. The room's
/// clock is a <see cref="FakeTimeProvider"/>: the tests move time, nothing sleeps.
/// </summary>
public sealed class ScheduledLineTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(Noon);

    public void Dispose() => _db.Dispose();

    private RoomFixture Room(int lineMilliseconds = 1000) => new(_db.Path, lineMilliseconds: lineMilliseconds, time: _time);

    private static LineRequest At(string text, DateTimeOffset at) => new(null, text, At: at);

    private static string[] Waiting(RoomFixture room) => room.Queue.Snapshot().Select(l => l.Id).ToArray();

    [Fact]
    public async Task A_scheduled_line_waits_then_goes_to_the_front_at_its_moment_without_cutting_the_line_speaking()
    {
        await using var room = Room(lineMilliseconds: 2000);
        var speaking = await room.Controller.EnqueueAsync(new LineRequest(null, "speaking"));
        var waiting = await room.Controller.EnqueueAsync(new LineRequest(null, "waiting"));
        var scheduled = await room.Controller.EnqueueAsync(At("at one", Noon.AddHours(1)));
        room.Ticks(2);

        var before = room.Controller.GetState();
        Assert.Equal([scheduled.Id], before.Scheduled.Select(l => l.Id));
        Assert.Equal([waiting.Id], before.Queue.Select(l => l.Id));

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal([waiting.Id], Waiting(room));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([scheduled.Id, waiting.Id], Waiting(room));
        Assert.Empty(room.Controller.GetState().Scheduled);
        Assert.Equal([scheduled.Id, waiting.Id], room.Events.Queues.Last());

        room.Ticks(5);
        Assert.Equal(speaking.Id, room.Engine.CurrentLine?.Id);
        room.Ticks(110);
        Assert.Equal([speaking.Id, scheduled.Id, waiting.Id], room.Events.Started.Select(l => l.Id));
        Assert.Equal(FinishReason.Completed, room.Events.Finished.First().Reason);
    }

    [Fact]
    public async Task A_scheduled_line_in_a_quiet_room_starts_at_its_moment_and_keeps_its_at()
    {
        await using var room = Room(lineMilliseconds: 200);
        var at = Noon.AddMinutes(5);
        var scheduled = await room.Controller.EnqueueAsync(At("at five past", at));
        room.Ticks(10);
        Assert.Empty(room.Events.Started);

        _time.Advance(TimeSpan.FromMinutes(5));
        room.Ticks(1);

        var started = Assert.Single(room.Events.Started);
        Assert.Equal((scheduled.Id, at), (started.Id, started.At!.Value));
    }

    [Fact]
    public async Task A_moment_in_the_past_is_refused_and_nothing_is_stored()
    {
        await using var room = Room();

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(
            () => room.Controller.EnqueueAsync(At("too late", Noon.AddSeconds(-5))).AsTask());

        Assert.Equal(RejectionCode.InvalidInput, refused.Code);
        Assert.Contains("in the past", refused.Message, StringComparison.Ordinal);
        Assert.Contains("2026-12-03T12:00:00.000Z", refused.Message, StringComparison.Ordinal);
        Assert.Empty(room.Controller.GetState().Scheduled);
        Assert.Empty(room.Store.LoadScheduled("main"));
        Assert.Empty(room.Events.All);
    }

    [Fact]
    public async Task A_moment_within_the_clock_slack_goes_to_the_front_at_once()
    {
        await using var room = Room(lineMilliseconds: 2000);
        var waiting = await room.Controller.EnqueueAsync(new LineRequest(null, "waiting"));

        var scheduled = await room.Controller.EnqueueAsync(At("just now", Noon.AddMilliseconds(-500)));

        Assert.Equal([scheduled.Id, waiting.Id], Waiting(room));
        Assert.Empty(room.Controller.GetState().Scheduled);
    }

    [Fact]
    public async Task A_moment_more_than_30_days_ahead_is_refused()
    {
        await using var room = Room();

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(
            () => room.Controller.EnqueueAsync(At("too far", Noon.AddDays(30).AddMinutes(1))).AsTask());
        var accepted = await room.Controller.EnqueueAsync(At("far enough", Noon.AddDays(30)));

        Assert.Equal(RejectionCode.InvalidInput, refused.Code);
        Assert.Contains("more than 30 days ahead", refused.Message, StringComparison.Ordinal);
        Assert.Equal([accepted.Id], room.Controller.GetState().Scheduled.Select(l => l.Id));
    }

    [Fact]
    public async Task At_is_refused_on_a_cued_or_inserted_line()
    {
        await using var room = Room();

        var cue = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.CueNowAsync(At("cue", Noon.AddHours(1))).AsTask());
        var insert = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.InsertAsync(At("insert", Noon.AddHours(1)), 0).AsTask());

        Assert.Equal((RejectionCode.InvalidInput, RejectionCode.InvalidInput), (cue.Code, insert.Code));
        Assert.Empty(room.Events.All);
    }

    [Fact]
    public async Task A_scheduled_line_survives_a_restart_and_fires_at_its_moment()
    {
        string id;
        await using (var before = Room())
        {
            id = (await before.Controller.EnqueueAsync(At("after the restart", Noon.AddHours(2)))).Id;
        }

        await using var after = Room();
        var line = Assert.Single(after.Controller.GetState().Scheduled);
        Assert.Equal((id, Noon.AddHours(2)), (line.Id, line.At!.Value));
        Assert.Empty(Waiting(after));

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal([id], Waiting(after));
    }

    [Fact]
    public async Task A_moment_that_passed_while_the_server_was_down_fires_at_start_ahead_of_the_queue()
    {
        string scheduled, queued;
        await using (var before = Room())
        {
            queued = (await before.Controller.EnqueueAsync(new LineRequest(null, "queued before"))).Id;
            scheduled = (await before.Controller.EnqueueAsync(At("while down", Noon.AddMinutes(10)))).Id;
        }
        _time.Advance(TimeSpan.FromHours(1));

        await using (var after = Room())
        {
            Assert.Equal([scheduled, queued], Waiting(after));
            Assert.Empty(after.Controller.GetState().Scheduled);
        }

        // Fired once: the next start finds it queued, not scheduled again.
        await using var third = Room();
        Assert.Equal([scheduled, queued], Waiting(third));
    }

    [Fact]
    public async Task Lines_due_at_the_same_moment_go_to_the_front_soonest_first()
    {
        await using var room = Room();
        var waiting = await room.Controller.EnqueueAsync(new LineRequest(null, "waiting"));
        var later = await room.Controller.EnqueueAsync(At("later", Noon.AddMinutes(2)));
        var sooner = await room.Controller.EnqueueAsync(At("sooner", Noon.AddMinutes(1)));

        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal([sooner.Id, later.Id, waiting.Id], Waiting(room));
    }

    [Fact]
    public async Task A_removed_scheduled_line_finishes_removed_and_never_fires()
    {
        await using var room = Room();
        var scheduled = await room.Controller.EnqueueAsync(At("cancelled", Noon.AddMinutes(1)));

        await room.Controller.RemoveAsync(scheduled.Id);
        _time.Advance(TimeSpan.FromMinutes(2));

        var finished = Assert.Single(room.Events.Finished);
        Assert.Equal((scheduled.Id, FinishReason.Removed), (finished.Id, finished.Reason!.Value));
        Assert.Empty(Waiting(room));
        Assert.Empty(room.Controller.GetState().Scheduled);
        Assert.Empty(room.Store.LoadScheduled("main"));
    }

    [Fact]
    public async Task Moving_a_scheduled_line_is_refused_as_not_queued()
    {
        await using var room = Room();
        await room.Controller.EnqueueAsync(new LineRequest(null, "waiting"));
        var scheduled = await room.Controller.EnqueueAsync(At("later", Noon.AddMinutes(1)));

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(() => room.Controller.MoveAsync(scheduled.Id, 0).AsTask());

        Assert.Equal(RejectionCode.LineNotQueued, refused.Code);
        Assert.Contains("scheduled for 2026-12-03T12:01:00Z", refused.Message, StringComparison.Ordinal);
    }
}
