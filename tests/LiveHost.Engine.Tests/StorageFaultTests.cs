using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests;

/// <summary>Storage faults injected between the journal and the real SQLite store: the room fails safe and recovers.</summary>
public sealed class StorageFaultTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task The_tick_never_waits_for_the_disk_even_when_every_write_hangs()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 200, faults: true);
        var ticket = await room.Controller.EnqueueAsync(new LineRequest(null, "spoken while the disk hangs"));
        room.Faults!.Hang.Reset();

        // 30 ticks = the whole line, its start and its finish, all recorded while no write can complete. A tick that
        // waited on the disk would never return.
        await Task.Run(() => room.Ticks(30)).WaitAsync(Timeout);
        var finished = Assert.Single(room.Events.Finished);
        Assert.Equal((ticket.Id, FinishReason.Completed), (finished.Id, finished.Reason));
        Assert.Single(room.Store.LoadUnfinished("main")); // nothing written yet: still unfinished on disk

        room.Faults.Hang.Set();
        await room.Journal.FlushAsync().WaitAsync(Timeout);
        Assert.Empty(room.Store.LoadUnfinished("main"));
    }

    [Fact]
    public async Task A_line_whose_write_fails_is_refused_with_StorageFailed_and_changes_nothing()
    {
        await using var room = new RoomFixture(_db.Path, faults: true);
        room.Faults!.Failing = true;

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(async () =>
            await room.Controller.EnqueueAsync(new LineRequest(null, "never stored")));

        Assert.Equal(RejectionCode.StorageFailed, refused.Code);
        Assert.Contains("storage is failing: disk I/O error (injected)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not accepted", refused.Message, StringComparison.Ordinal);
        Assert.Empty(room.Queue.Snapshot());
        Assert.Empty(room.Events.All);
        Assert.True(room.Journal.Status.Failing);
    }

    [Fact]
    public async Task Failing_storage_holds_the_engines_writes_refuses_commands_and_recovers_without_a_restart()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 200, faults: true);
        var failing = new TaskCompletionSource<StorageStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recovered = new TaskCompletionSource<StorageStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        room.Journal.StatusChanged += s => (s.Failing ? failing : recovered).TrySetResult(s);
        var spoken = await room.Controller.EnqueueAsync(new LineRequest(null, "spoken while the disk fails"));

        room.Faults!.Failing = true;
        room.Ticks(30);
        Assert.Equal(spoken.Id, Assert.Single(room.Events.Finished).Id);
        var status = await failing.Task.WaitAsync(Timeout);
        Assert.Equal("disk I/O error (injected)", status.Problem);

        // While it fails: commands are refused before they change anything, and so are lines.
        var pause = await Assert.ThrowsAsync<CommandRejectedException>(async () => await room.Controller.PauseAsync());
        Assert.Equal(RejectionCode.StorageFailed, pause.Code);
        Assert.False(room.Controller.GetState().Paused);
        var line = await Assert.ThrowsAsync<CommandRejectedException>(async () => await room.Controller.EnqueueAsync(new LineRequest(null, "refused")));
        Assert.Equal(RejectionCode.StorageFailed, line.Code);

        // The disk comes back: the writer's retry lands the held writes (started, then finished) without a restart.
        room.Faults.Failing = false;
        Assert.False((await recovered.Task.WaitAsync(Timeout)).Failing);
        Assert.Empty(room.Store.LoadUnfinished("main"));
        var after = await room.Controller.EnqueueAsync(new LineRequest(null, "accepted again"));
        Assert.Equal(after.Id, Assert.Single(room.Store.LoadUnfinished("main")).Id);
    }

    [Fact]
    public async Task A_line_accepted_before_storage_failed_is_spoken_again_after_a_restart_when_its_finish_was_never_written()
    {
        string id;
        await using (var before = new RoomFixture(_db.Path, lineMilliseconds: 200, faults: true))
        {
            id = (await before.Controller.EnqueueAsync(new LineRequest(null, "not lost"))).Id;
            before.Faults!.Failing = true;
            before.Ticks(30);
            Assert.Equal(id, Assert.Single(before.Events.Finished).Id);
        }

        await using var after = new RoomFixture(_db.Path, lineMilliseconds: 200);
        Assert.Equal(id, Assert.Single(after.Queue.Snapshot()).Id);
    }
}
