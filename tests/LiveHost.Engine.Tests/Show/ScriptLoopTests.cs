using LiveHost.Engine.Lines;
using LiveHost.Engine.Show;

namespace LiveHost.Engine.Tests.Show;

public sealed class ScriptLoopTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static string[] Texts(IEnumerable<Line> lines) => lines.Select(l => l.Text).ToArray();

    [Fact]
    public async Task A_looping_script_keeps_the_room_speaking_for_three_cycles_in_order_and_wraps_around()
    {
        await using var room = new ShowFixture(_db.Path);
        var script = room.SaveScript("ad", new ScriptLine("one"), new ScriptLine("two"), new ScriptLine("three"));
        await room.Show.PlayAsync(script, ScriptMode.Loop);

        // Count the longest stretch of frames with nothing on air once the loop has started.
        var longestSilence = 0;
        var silence = 0;
        room.TickUntil(() =>
        {
            if (room.Events.Started.Any()) silence = room.Engine.CurrentLine is null ? silence + 1 : 0;
            longestSilence = Math.Max(longestSilence, silence);
            return room.Events.Finished.Count() >= 9;
        });

        Assert.Equal(["one", "two", "three", "one", "two", "three", "one", "two", "three"], Texts(room.Events.Finished.Take(9)));
        Assert.All(room.Events.Finished, l => Assert.Equal(FinishReason.Completed, l.Reason));
        Assert.All(room.Events.Started, l => Assert.Equal((LineSources.Script, script.Id), (l.Source, l.ScriptId)));
        // One frame between two lines at most (the tick a line ends on): no gap a viewer would hear.
        Assert.InRange(longestSilence, 0, 1);
        Assert.Equal(new ScriptStatus(script.Id!, "ad", ScriptMode.Loop, 0, 3), room.Engine.Snapshot().Script);
    }

    [Fact]
    public async Task A_queued_live_line_plays_before_the_next_script_line_and_a_cued_one_cuts_in_at_once()
    {
        await using var room = new ShowFixture(_db.Path, lineMilliseconds: 400);
        var script = room.SaveScript("ad", new ScriptLine("one"), new ScriptLine("two"));
        await room.Show.PlayAsync(script, ScriptMode.Loop);
        room.TickUntil(() => room.Engine.CurrentLine?.Text == "one");

        var live = await room.Controller.EnqueueAsync(new LineRequest(null, "live"));
        room.TickUntil(() => room.Events.Finished.Any());
        room.Ticks(1);
        Assert.Equal(live.Id, room.Engine.CurrentLine?.Id);
        Assert.Equal(LineSources.Live, room.Engine.CurrentLine?.Source);

        room.TickUntil(() => room.Engine.CurrentLine?.Text == "two");
        var cued = await room.Controller.CueNowAsync(new LineRequest(null, "cued"));
        room.Ticks(1);
        var cut = room.Events.Finished.Last();
        Assert.Equal(("two", FinishReason.Interrupted), (cut.Text, cut.Reason));
        room.Ticks(1);
        Assert.Equal(cued.Id, room.Engine.CurrentLine?.Id);

        // Once the live lines are done, the loop carries on where it was (after "two", which was cut: "one").
        room.TickUntil(() => room.Events.Finished.Count() >= 4);
        room.Ticks(1);
        Assert.Equal(["one", "live", "two", "cued"], Texts(room.Events.Finished));
        Assert.Equal("one", room.Engine.CurrentLine?.Text);
    }

    [Fact]
    public async Task Stopping_the_loop_lets_the_line_on_air_finish_and_plays_no_more_script_lines()
    {
        await using var room = new ShowFixture(_db.Path);
        var script = room.SaveScript("ad", new ScriptLine("one"), new ScriptLine("two"));
        await room.Show.PlayAsync(script, ScriptMode.Loop);
        room.TickUntil(() => room.Engine.CurrentLine?.Text == "one");

        var state = room.Show.Stop();

        Assert.Null(state.Script);
        room.Ticks(50);
        var finished = Assert.Single(room.Events.Finished);
        Assert.Equal(("one", FinishReason.Completed), (finished.Text, finished.Reason));
        Assert.Single(room.Events.Started);
        Assert.Null(room.Engine.CurrentLine);
    }

    [Fact]
    public async Task PauseAfterMs_is_silence_after_that_script_line_before_the_next()
    {
        await using var room = new ShowFixture(_db.Path);
        var script = room.SaveScript("ad", new ScriptLine("one", PauseAfterMs: 3000), new ScriptLine("two"));
        await room.Show.PlayAsync(script, ScriptMode.Loop);
        room.TickUntil(() => room.Events.Finished.Any());

        room.Ticks(30);
        Assert.Null(room.Engine.CurrentLine);
        Assert.Single(room.Events.Started);

        room.Time.Advance(TimeSpan.FromMilliseconds(2999));
        room.Ticks(1);
        Assert.Null(room.Engine.CurrentLine);
        room.Time.Advance(TimeSpan.FromMilliseconds(1));
        room.Ticks(1);
        Assert.Equal("two", room.Engine.CurrentLine?.Text);
    }

    [Fact]
    public async Task A_paused_room_plays_no_script_line_until_resumed()
    {
        await using var room = new ShowFixture(_db.Path);
        var script = room.SaveScript("ad", new ScriptLine("one"));
        var pausing = room.Controller.PauseAsync().AsTask();
        room.Ticks(1);
        await pausing;

        await room.Show.PlayAsync(script, ScriptMode.Loop);
        room.Ticks(20);
        Assert.Empty(room.Events.Started);

        var resuming = room.Controller.ResumeAsync().AsTask();
        room.Ticks(1);
        await resuming;
        room.Ticks(1);
        Assert.Equal("one", room.Engine.CurrentLine?.Text);
    }

    [Fact]
    public async Task After_a_restart_the_loop_carries_on_with_the_script_line_that_was_on_air()
    {
        string scriptId;
        await using (var before = new ShowFixture(_db.Path))
        {
            var script = before.SaveScript("ad", new ScriptLine("one"), new ScriptLine("two"), new ScriptLine("three"));
            scriptId = script.Id!;
            await before.Show.PlayAsync(script, ScriptMode.Loop);
            before.TickUntil(() => before.Engine.CurrentLine?.Text == "two");
        }

        await using var after = new ShowFixture(_db.Path);
        Assert.Equal(new ScriptStatus(scriptId, "ad", ScriptMode.Loop, 1, 3), after.Engine.Snapshot().Script);
        after.TickUntil(() => after.Events.Started.Count() >= 2);
        Assert.Equal(["two", "three"], Texts(after.Events.Started));
    }

    [Fact]
    public async Task Playing_a_script_once_queues_its_lines_as_script_lines_behind_the_queue()
    {
        await using var room = new ShowFixture(_db.Path);
        await room.Controller.EnqueueAsync(new LineRequest(null, "live first"));
        var script = room.SaveScript("ad", new ScriptLine("one"), new ScriptLine("two"));

        var state = await room.Show.PlayAsync(script, ScriptMode.Once);

        Assert.Equal(["live first", "one", "two"], state.Queue.Select(l => l.Text));
        Assert.Equal([LineSources.Live, LineSources.Script, LineSources.Script], state.Queue.Select(l => l.Source));
        Assert.Null(state.Script);
        room.TickUntil(() => room.Events.Finished.Count() >= 3);
        room.Ticks(20);
        Assert.Equal(3, room.Events.Started.Count());
    }
}
