using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests;

/// <summary>Skip, Pause and Resume answer once the engine applied them, so the state read right after shows their effect.</summary>
public sealed class CommandCompletionTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Pause_answers_only_after_the_tick_that_applied_it_and_the_state_then_says_paused()
    {
        await using var room = new RoomFixture(_db.Path);
        var pause = room.Controller.PauseAsync().AsTask();

        // Only a tick applies it: nothing else can complete it.
        Assert.False(pause.IsCompleted);
        Assert.False(room.Controller.GetState().Paused);
        room.Ticks(1);
        await pause;

        var state = room.Controller.GetState();
        Assert.True(state.Paused);
        Assert.Equal(RoomActivity.Paused, state.Activity);
    }

    [Fact]
    public async Task Skip_answers_after_the_skipped_line_is_finished_and_gone_from_the_state()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        var skipped = await room.Controller.EnqueueAsync(new LineRequest(null, "skip me"));
        var next = await room.Controller.EnqueueAsync(new LineRequest(null, "then me"));
        room.Ticks(3);
        Assert.Equal(skipped.Id, room.Controller.GetState().Current?.Id);

        await room.CommandAsync(c => c.SkipAsync());

        var state = room.Controller.GetState();
        Assert.NotEqual(skipped.Id, state.Current?.Id);
        Assert.DoesNotContain(state.Queue, l => l.Id == skipped.Id);
        Assert.Equal(next.Id, state.Current?.Id);
        Assert.Equal((skipped.Id, FinishReason.Skipped), room.Events.Finished.Select(l => (l.Id, l.Reason!.Value)).Single());
    }

    [Fact]
    public async Task A_command_waiting_when_the_room_stops_is_refused_and_later_ones_too()
    {
        await using var room = new RoomFixture(_db.Path);
        var waiting = room.Controller.PauseAsync().AsTask();

        await room.Engine.DisposeAsync();

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(RejectionCode.Unavailable, refused.Code);
        Assert.Contains("stopped", refused.Message, StringComparison.Ordinal);
        var later = await Assert.ThrowsAsync<CommandRejectedException>(async () => await room.Controller.ResumeAsync());
        Assert.Equal(RejectionCode.Unavailable, later.Code);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_while_the_room_goes_on()
    {
        await using var room = new RoomFixture(_db.Path);
        using var cancel = new CancellationTokenSource();
        var pause = room.Controller.PauseAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pause);
        room.Ticks(1); // the command was handed over: it still applies
        Assert.True(room.Controller.GetState().Paused);
    }
}
