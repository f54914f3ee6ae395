using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests;

/// <summary>A line with interruptible: false holds the air against CueNow, not against Skip.</summary>
public sealed class NonInterruptibleLineTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task CueNow_during_a_non_interruptible_line_waits_for_it_to_end_then_plays_first()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 400);
        var held = await room.Controller.EnqueueAsync(new LineRequest(null, "legal notice", Interruptible: false));
        var waiting = await room.Controller.EnqueueAsync(new LineRequest(null, "was waiting"));
        room.Ticks(3);
        Assert.Equal(held.Id, room.Engine.CurrentLine?.Id);

        var cued = await room.Controller.CueNowAsync(new LineRequest(null, "flash sale"));
        room.Ticks(60);

        var finished = room.Events.Finished.ToList();
        Assert.Equal((held.Id, FinishReason.Completed), (finished[0].Id, finished[0].Reason!.Value));
        Assert.Equal([held.Id, cued.Id, waiting.Id], room.Events.Started.Select(l => l.Id));
        // The held line was played whole: 400 ms of tone, not cut.
        Assert.False(finished[0].Interruptible);
        Assert.Equal(400, finished[0].DurationMs);
    }

    [Fact]
    public async Task CueNow_during_an_ordinary_line_still_cuts_it()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        var ordinary = await room.Controller.EnqueueAsync(new LineRequest(null, "ordinary", Interruptible: true));
        room.Ticks(3);

        await room.Controller.CueNowAsync(new LineRequest(null, "flash sale"));
        room.Ticks(1);

        var finished = Assert.Single(room.Events.Finished);
        Assert.Equal((ordinary.Id, FinishReason.Interrupted), (finished.Id, finished.Reason!.Value));
    }

    [Fact]
    public async Task Skip_still_ends_a_non_interruptible_line()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        var held = await room.Controller.EnqueueAsync(new LineRequest(null, "legal notice", Interruptible: false));
        room.Ticks(3);

        await room.CommandAsync(c => c.SkipAsync());

        var finished = Assert.Single(room.Events.Finished);
        Assert.Equal((held.Id, FinishReason.Skipped), (finished.Id, finished.Reason!.Value));
    }

    [Fact]
    public async Task A_non_interruptible_line_is_still_non_interruptible_after_a_restart()
    {
        string id;
        await using (var before = new RoomFixture(_db.Path))
        {
            id = (await before.Controller.EnqueueAsync(new LineRequest(null, "legal notice", Interruptible: false))).Id;
        }

        await using var after = new RoomFixture(_db.Path, lineMilliseconds: 400);
        var line = Assert.Single(after.Queue.Snapshot());
        Assert.Equal((id, false), (line.Id, line.Interruptible));
        after.Ticks(3);
        await after.Controller.CueNowAsync(new LineRequest(null, "flash sale"));
        after.Ticks(5);
        Assert.Equal(id, after.Engine.CurrentLine?.Id);
        Assert.Empty(after.Events.Finished);
    }
}
