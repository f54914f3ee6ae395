using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests;

/// <summary>What producers set on a room survives a restart.</summary>
public sealed class RoomStateRestartTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_paused_room_is_still_paused_after_a_restart_and_its_lines_wait()
    {
        string id;
        await using (var before = new RoomFixture(_db.Path, lineMilliseconds: 200))
        {
            await before.CommandAsync(c => c.PauseAsync());
            id = (await before.Controller.EnqueueAsync(new LineRequest(null, "waits for resume"))).Id;
        }

        await using var after = new RoomFixture(_db.Path, lineMilliseconds: 200);
        Assert.True(after.Controller.GetState().Paused);
        after.Ticks(20);
        Assert.Empty(after.Events.Started);
        Assert.All(after.Encoder.Audio, s => Assert.Equal(0, s));

        await after.CommandAsync(c => c.ResumeAsync(), more: 20);
        Assert.Equal((id, FinishReason.Completed), after.Events.Finished.Select(l => (l.Id, l.Reason!.Value)).Single());
    }

    [Fact]
    public async Task A_resumed_room_starts_playing_after_a_restart()
    {
        await using (var before = new RoomFixture(_db.Path))
        {
            await before.CommandAsync(c => c.PauseAsync());
            await before.CommandAsync(c => c.ResumeAsync());
        }

        await using var after = new RoomFixture(_db.Path);
        Assert.False(after.Controller.GetState().Paused);
    }

    [Fact]
    public async Task CueNow_in_a_paused_room_unpauses_it_for_good()
    {
        await using (var before = new RoomFixture(_db.Path, lineMilliseconds: 200))
        {
            await before.CommandAsync(c => c.PauseAsync());
            await before.Controller.CueNowAsync(new LineRequest(null, "urgent"));
            before.Ticks(1);
            Assert.False(before.Controller.GetState().Paused);
            await before.Journal.FlushAsync();
        }

        await using var after = new RoomFixture(_db.Path);
        Assert.False(after.Controller.GetState().Paused);
    }
}
