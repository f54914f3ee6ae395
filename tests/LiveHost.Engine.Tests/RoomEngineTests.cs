using LiveHost.Engine.Tests.Doubles;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Speech;

namespace LiveHost.Engine.Tests;

public sealed class RoomEngineTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Idle_room_produces_continuous_frames_of_silence()
    {
        await using var room = new RoomFixture(_db.Path);
        room.Ticks(25);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), room.Encoder.FrameIndexes);
        Assert.Equal(25 * 1920, room.Encoder.Audio.Count);
        Assert.All(room.Encoder.Audio, s => Assert.Equal(0, s));
        Assert.All(room.Composer.Frames, f => Assert.Null(f.Caption));
    }

    [Theory]
    [InlineData(25, 1920)]
    [InlineData(30, 1600)]
    public async Task Each_tick_carries_exactly_one_frame_of_audio_at_48kHz(int fps, int samplesPerFrame)
    {
        await using var room = new RoomFixture(_db.Path, fps);
        await room.Controller.EnqueueAsync(new LineRequest(null, "hello"));
        room.Ticks(10);
        Assert.Equal(10 * samplesPerFrame, room.Encoder.Audio.Count);
    }

    [Fact]
    public async Task A_queued_line_is_spoken_whole_then_finishes_completed()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 500);
        var ticket = await room.Controller.EnqueueAsync(new LineRequest(null, "hello world"));
        room.Ticks(40);

        var finished = Assert.Single(room.Events.Finished);
        Assert.Equal(ticket.Id, finished.Id);
        Assert.Equal(FinishReason.Completed, finished.Reason);
        // Every sample of the 500 ms line was played: nothing lost, nothing cut.
        var loud = room.Encoder.Audio.Count(s => Math.Abs((int)s) > 100);
        Assert.InRange(loud, 24000 * 0.9, 24000);
        Assert.Contains(room.Composer.Frames, f => f.Caption == "hello world" && f.Speaking);
    }

    [Fact]
    public async Task CueNow_cuts_the_current_line_within_one_frame_and_fades_without_a_click()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        var first = await room.Controller.EnqueueAsync(new LineRequest(null, "first line"));
        room.Ticks(10);
        Assert.Equal("first line", room.Engine.CurrentLine?.Text);
        long cuedFirstAudioFrame = -1;
        room.Engine.FirstAudioPlaced += (line, frame) => { if (line.Text == "cued line") cuedFirstAudioFrame = frame; };

        var cued = await room.Controller.CueNowAsync(new LineRequest(null, "cued line"));
        var samplesBeforeCut = room.Encoder.Audio.Count;
        var cutFrame = room.Engine.FrameIndex;
        room.Ticks(1);

        var interrupted = Assert.Single(room.Events.Finished);
        Assert.Equal(first.Id, interrupted.Id);
        Assert.Equal(FinishReason.Interrupted, interrupted.Reason);

        room.Ticks(3);
        Assert.Equal(cued.Id, room.Engine.CurrentLine?.Id);

        // The cut tick ramps to silence: no step anywhere near the tone's amplitude.
        var audio = room.Encoder.Audio;
        var cutTick = audio.Skip(samplesBeforeCut).Take(1920).ToArray();
        var maxStep = 0;
        for (var i = Math.Max(1, samplesBeforeCut - 1920); i < audio.Count; i++) maxStep = Math.Max(maxStep, Math.Abs(audio[i] - audio[i - 1]));
        // A 440 Hz tone at 20000 moves at most ~1150 per sample; a click would jump by up to 20000.
        Assert.True(maxStep < 1500, $"largest sample step around the cut was {maxStep}");
        // ...and the fade is short: after its first 10 ms the cut tick carries the cued line from its first sample, so
        // the cued line sounds in the very tick that took it (its synthesis started when it was accepted).
        Assert.Equal(cutFrame, cuedFirstAudioFrame);
        for (var i = 0; i < cutTick.Length - 480; i++)
        {
            Assert.Equal((short)(ToneSynthesizer.Amplitude * Math.Sin(2 * Math.PI * 440 * i / 48000.0)), cutTick[480 + i]);
        }
    }

    [Fact]
    public async Task Every_accepted_line_reaches_exactly_one_LineFinished()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 200);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await room.Controller.EnqueueAsync(new LineRequest(null, $"line {i}"))).Id);
        room.Ticks(3);
        await room.CommandAsync(c => c.SkipAsync(), more: 1);
        ids.Add((await room.Controller.CueNowAsync(new LineRequest(null, "urgent"))).Id);
        room.Ticks(2);
        await room.Controller.ClearQueueAsync();
        room.Ticks(30);
        await room.Journal.FlushAsync();

        var finished = room.Events.Finished.ToList();
        Assert.Equal(ids.Order(), finished.Select(l => l.Id).Order());
        Assert.Contains(finished, l => l.Reason == FinishReason.Skipped);
        Assert.Contains(finished, l => l.Reason == FinishReason.Interrupted);
        Assert.Contains(finished, l => l.Reason == FinishReason.Cleared);
        Assert.Contains(finished, l => l.Id == ids[^1] && l.Reason == FinishReason.Completed);
        Assert.Empty(room.Store.LoadUnfinished("main"));
    }

    [Fact]
    public async Task LineQueued_is_always_seen_before_LineStarted_and_LineFinished()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 100);
        room.Engine.Start();
        for (var i = 0; i < 20; i++) await room.Controller.EnqueueAsync(new LineRequest(null, $"line {i}"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (room.Events.Finished.Count() < 20 && DateTime.UtcNow < deadline) await Task.Delay(50);

        var order = room.Events.All.Where(e => e.Line is not null).ToList();
        foreach (var group in order.GroupBy(e => e.Line!.Id))
        {
            Assert.Equal(["queued", "started", "finished"], group.Select(e => e.Kind));
        }
        Assert.Equal(20, order.Count(e => e.Kind == "finished"));
    }

    [Fact]
    public async Task Pause_silences_and_holds_the_line_and_Resume_continues_it_without_loss()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 1000);
        await room.Controller.EnqueueAsync(new LineRequest(null, "paused line"));
        room.Ticks(6);
        await room.CommandAsync(c => c.PauseAsync());
        var pausedFrom = room.Encoder.Audio.Count;
        room.Ticks(10);
        Assert.All(room.Encoder.Audio.Skip(pausedFrom), s => Assert.Equal(0, s));
        Assert.Equal(RoomActivity.Paused, room.Controller.GetState().Activity);
        Assert.Empty(room.Events.Finished);

        await room.CommandAsync(c => c.ResumeAsync(), more: 39);
        Assert.Equal(FinishReason.Completed, Assert.Single(room.Events.Finished).Reason);
        var loud = room.Encoder.Audio.Count(s => Math.Abs((int)s) > 100);
        Assert.InRange(loud, 48000 * 0.9, 48000);
    }

    [Fact]
    public async Task Mouth_follows_the_phoneme_marks_while_speaking_and_rests_when_idle()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 1000);
        room.Ticks(3);
        await room.Controller.EnqueueAsync(new LineRequest(null, "mouth test"));
        room.Ticks(40);

        var speaking = room.Composer.Frames.Where(f => f.Speaking).ToList();
        Assert.Contains(speaking, f => f.Viseme == Viseme.AA);
        Assert.Contains(speaking, f => f.Viseme == Viseme.PP);
        Assert.All(room.Composer.Frames.Where(f => !f.Speaking), f => Assert.Equal(Viseme.Silence, f.Viseme));
    }

    [Fact]
    public async Task Queued_lines_survive_a_restart_in_order_with_the_speaking_line_first()
    {
        string[] ids;
        await using (var before = new RoomFixture(_db.Path, lineMilliseconds: 2000))
        {
            ids = [
                (await before.Controller.EnqueueAsync(new LineRequest(null, "one"))).Id,
                (await before.Controller.EnqueueAsync(new LineRequest(null, "two"))).Id,
                (await before.Controller.EnqueueAsync(new LineRequest(null, "three"))).Id,
            ];
            before.Ticks(5);
            Assert.Equal(ids[0], before.Engine.CurrentLine?.Id);
        }

        await using var after = new RoomFixture(_db.Path, lineMilliseconds: 100);
        Assert.Equal(ids, after.Queue.Snapshot().Select(l => l.Id));
        after.Ticks(40);
        Assert.Equal(ids, after.Events.Finished.Select(l => l.Id));
        Assert.All(after.Events.Finished, l => Assert.Equal(FinishReason.Completed, l.Reason));
    }
}
