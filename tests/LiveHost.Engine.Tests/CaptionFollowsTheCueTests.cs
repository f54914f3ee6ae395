using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Speech;

namespace LiveHost.Engine.Tests;

/// <summary>
/// Issue 14 point 4 beside issue 17's audio lead: the mouth waits for the lead (it moves when its sound is heard), but
/// what the producer's cue changes on screen otherwise, the caption, is drawn on the frame of the tick that applied the
/// cue. A cut removes it at once; a line that ends by itself keeps it while its last sound is still drawn.
/// Frames are recorded by the drawing stage, in order, one per tick, so a frame's position is its tick.
/// </summary>
public sealed class CaptionFollowsTheCueTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(80, 2)]
    [InlineData(120, 3)]
    public async Task A_taken_lines_caption_is_in_the_frame_of_the_tick_that_took_it_and_its_mouth_moves_on_its_first_sound(double leadMs, int leadTicks)
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 500, options: new EngineOptions { AudioLeadMilliseconds = leadMs });
        long firstAudioTick = -1;
        room.Engine.FirstAudioPlaced += (_, tick) => firstAudioTick = tick;
        room.Ticks(5);
        await room.Controller.EnqueueAsync(new LineRequest(null, "hello world"));
        const int takingTick = 5;
        room.Ticks(30);

        var frames = room.Composer.Frames;
        Assert.Equal("hello world", Assert.Single(room.Events.Started).Text);
        Assert.All(frames.Take(takingTick), f => Assert.Null(f.Caption));
        Assert.Equal("hello world", frames[takingTick].Caption);
        // The mouth still moves first on the frame of the line's first sound, the lead after the tick that placed it.
        var firstSpeakingFrame = frames.FindIndex(f => f.Speaking);
        Assert.Equal(firstAudioTick, firstSpeakingFrame);
        Assert.Equal(takingTick + leadTicks, firstSpeakingFrame);
        Assert.All(frames.Skip(takingTick).Take(leadTicks), f => Assert.Equal((Viseme.Silence, "hello world", false), f));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(80, 2)]
    public async Task A_skip_removes_the_caption_on_the_frame_of_the_tick_that_applied_it_while_the_sound_already_sent_is_drawn(double leadMs, int leadTicks)
    {
        await using var room = await TenTicksInto("hello world", leadMs);
        await room.CommandAsync(c => c.SkipAsync(), more: 5);

        Assert.Equal(FinishReason.Skipped, Assert.Single(room.Events.Finished).Reason);
        AssertCutOnFrameTen(room, "hello world", null, leadTicks);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(80, 2)]
    public async Task CueNow_shows_the_cued_lines_caption_on_the_frame_of_the_cut(double leadMs, int leadTicks)
    {
        await using var room = await TenTicksInto("first line", leadMs);
        await room.Controller.CueNowAsync(new LineRequest(null, "cued line"));
        room.Ticks(6);

        Assert.Equal(FinishReason.Interrupted, Assert.Single(room.Events.Finished).Reason);
        AssertCutOnFrameTen(room, "first line", "cued line", leadTicks);
    }

    [Theory]
    [InlineData(80, 2)]
    [InlineData(120, 3)]
    public async Task A_line_that_ends_by_itself_keeps_its_caption_until_its_last_sound_is_drawn(double leadMs, int leadTicks)
    {
        await using var lead = new RoomFixture(_db.Path, lineMilliseconds: 500, options: new EngineOptions { AudioLeadMilliseconds = leadMs });
        using var otherDb = new TempDatabase();
        await using var none = new RoomFixture(otherDb.Path, lineMilliseconds: 500);
        foreach (var room in new[] { lead, none }) await room.Controller.EnqueueAsync(new LineRequest(null, "hello world"));
        lead.Ticks(30);
        none.Ticks(30);

        Assert.Equal(FinishReason.Completed, Assert.Single(lead.Events.Finished).Reason);
        // Both start on the taking tick; with the lead the caption leaves (and the mouth stops) the lead later.
        Assert.Equal(0, lead.Composer.Frames.FindIndex(f => f.Caption is not null));
        Assert.Equal(0, none.Composer.Frames.FindIndex(f => f.Caption is not null));
        var lastCaptioned = none.Composer.Frames.FindLastIndex(f => f.Caption is not null);
        Assert.Equal(lastCaptioned + leadTicks, lead.Composer.Frames.FindLastIndex(f => f.Caption is not null));
        Assert.Equal(none.Composer.Frames.FindLastIndex(f => f.Speaking) + leadTicks, lead.Composer.Frames.FindLastIndex(f => f.Speaking));
        Assert.All(lead.Composer.Frames.Take(lastCaptioned + leadTicks + 1), f => Assert.Equal("hello world", f.Caption));
    }

    [Fact]
    public async Task The_next_lines_caption_replaces_the_kept_one_on_the_tick_that_takes_it()
    {
        await using var lead = new RoomFixture(_db.Path, lineMilliseconds: 500, options: new EngineOptions { AudioLeadMilliseconds = 120 });
        using var otherDb = new TempDatabase();
        await using var none = new RoomFixture(otherDb.Path, lineMilliseconds: 500);
        foreach (var room in new[] { lead, none })
        {
            await room.Controller.EnqueueAsync(new LineRequest(null, "first line"));
            await room.Controller.EnqueueAsync(new LineRequest(null, "second line"));
        }
        lead.Ticks(40);
        none.Ticks(40);

        // Without a lead the second line is taken on frame k; with it, on the same tick, its caption is on the same
        // frame, while the first line's last sound is still being drawn (its mouth still moves under the new caption).
        var taken = none.Composer.Frames.FindIndex(f => f.Caption == "second line");
        Assert.True(taken > 0);
        Assert.Equal(taken, lead.Composer.Frames.FindIndex(f => f.Caption == "second line"));
        Assert.All(lead.Composer.Frames.Skip(taken).Take(10), f => Assert.Equal("second line", f.Caption));
        Assert.Contains(lead.Composer.Frames.Skip(taken).Take(3), f => f.Speaking);
    }

    // A room that took the line on its first tick and has spoken it for ten ticks (a 2-second line: far from its end).
    private async Task<RoomFixture> TenTicksInto(string text, double leadMs)
    {
        var room = new RoomFixture(_db.Path, lineMilliseconds: 2000, options: new EngineOptions { AudioLeadMilliseconds = leadMs });
        await room.Controller.EnqueueAsync(new LineRequest(null, text));
        room.Ticks(10);
        return room;
    }

    // The cut applied on tick 10: its frame already shows the caption after the cut, while the frames of the cut line's
    // sound sent before it (the lead's worth) still move its mouth.
    private static void AssertCutOnFrameTen(RoomFixture room, string before, string? after, int leadTicks)
    {
        var frames = room.Composer.Frames;
        Assert.Equal(16, frames.Count);
        Assert.Equal(before, frames[9].Caption);
        Assert.All(frames.Skip(10), f => Assert.Equal(after, f.Caption));
        Assert.All(frames.Skip(10).Take(leadTicks), f => Assert.True(f.Speaking));
    }
}
