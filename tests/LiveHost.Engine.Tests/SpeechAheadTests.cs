using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Tests.Doubles;

namespace LiveHost.Engine.Tests;

/// <summary>Queued lines synthesized before their turn, within their bounds, and freed when they leave the queue.</summary>
public sealed class SpeechAheadTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static LineRequest Say(string text) => new(null, text);

    [Fact]
    public async Task A_queued_line_is_synthesized_while_the_line_before_it_speaks_and_starts_on_the_next_tick()
    {
        var speech = new GatedSynthesizer(lineMilliseconds: 400);
        await using var room = new RoomFixture(_db.Path, speech: speech);
        var firstAudio = new List<(string Text, long Frame)>();
        room.Engine.FirstAudioPlaced += (line, frame) => firstAudio.Add((line.Text, frame));
        await room.Controller.EnqueueAsync(Say("a"));
        await room.Controller.EnqueueAsync(Say("b"));

        room.Ticks(1);
        Assert.Equal(["a", "b"], speech.StartedTexts);
        speech.Release("a");
        speech.Release("b");
        // 400 ms at 25 fps: "a" fills ticks 1..10; "b" must sound on tick 11, with no tick spent waiting for synthesis.
        room.Ticks(12);

        Assert.Equal([("a", 1L), ("b", 11L)], firstAudio);
        Assert.Equal(1, room.Engine.Statistics.LinesFinished);
    }

    [Fact]
    public async Task A_line_accepted_while_the_room_ticks_is_synthesized_once()
    {
        // The control plane starts a near line's synthesis as it accepts it, and the tick starts the synthesis of any
        // near line it has none for: a tick between the two once started both (two requests to a paid speech server,
        // one of them cancelled). Ticks run flat out on another thread while lines arrive.
        // Each line is accepted into an empty queue, so it is one of the next lines and the next tick may take it.
        var speech = new CountingSynthesizer(lineMilliseconds: 40);
        await using var room = new RoomFixture(_db.Path, speech: speech);
        using var stop = new CancellationTokenSource();
        var ticking = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) room.Ticks(1);
        });
        for (var i = 0; i < 300; i++)
        {
            if (i % 4 == 3) await room.Controller.CueNowAsync(Say($"cue {i}"));
            else await room.Controller.EnqueueAsync(Say($"line {i}"));
            SpinWait.SpinUntil(() => room.Queue.Count == 0);
        }
        await stop.CancelAsync();
        await ticking;

        var twice = speech.Starts.Where(p => p.Value > 1).Select(p => $"{p.Key} x{p.Value}").ToList();
        Assert.True(twice.Count == 0, $"started more than once: {string.Join(", ", twice)}");
    }

    [Fact]
    public async Task A_cued_line_is_synthesized_as_it_is_accepted_and_sounds_on_the_tick_that_takes_it()
    {
        var speech = new GatedSynthesizer(lineMilliseconds: 400);
        await using var room = new RoomFixture(_db.Path, speech: speech);
        var firstAudio = new List<(string Text, long Frame)>();
        room.Engine.FirstAudioPlaced += (line, frame) => firstAudio.Add((line.Text, frame));
        await room.Controller.EnqueueAsync(Say("a"));
        speech.Release("a");
        room.Ticks(3);

        await room.Controller.CueNowAsync(Say("cued"));
        // Started by the call itself, before any tick: no tick is spent waiting for its synthesis to begin.
        Assert.Equal(["a", "cued"], speech.StartedTexts);
        speech.Release("cued");
        var cutFrame = room.Engine.FrameIndex;
        room.Ticks(1);

        Assert.Equal([("a", 0L), ("cued", cutFrame)], firstAudio);
        Assert.Equal(["cued"], speech.StartedTexts.Skip(1)); // taken from the synthesis the call started, not started again
    }

    [Fact]
    public async Task A_line_queued_into_an_idle_room_sounds_on_the_first_tick_when_its_audio_is_ready()
    {
        var speech = new GatedSynthesizer(lineMilliseconds: 400);
        await using var room = new RoomFixture(_db.Path, speech: speech);
        var firstAudio = new List<(string Text, long Frame)>();
        room.Engine.FirstAudioPlaced += (line, frame) => firstAudio.Add((line.Text, frame));
        room.Ticks(2);

        await room.Controller.EnqueueAsync(Say("a"));
        speech.Release("a");
        room.Ticks(1);

        Assert.Equal([("a", 2L)], firstAudio);
    }

    [Fact]
    public async Task A_line_prepared_as_it_was_accepted_and_removed_before_its_turn_is_freed()
    {
        var speech = new GatedSynthesizer();
        await using var room = new RoomFixture(_db.Path, speech: speech);
        await room.Controller.EnqueueAsync(Say("a"));
        room.Ticks(1);
        var b = await room.Controller.EnqueueAsync(Say("b"));
        Assert.Equal(["a", "b"], speech.StartedTexts);

        await room.Controller.RemoveAsync(b.Id);
        room.Ticks(1);

        Assert.Equal(0, room.Engine.Ahead.Count);
        Assert.True(speech.StreamOf("b").IsCancelled, "the removed line's synthesis was not stopped");
    }

    [Fact]
    public async Task With_speaking_ahead_off_a_queued_line_is_synthesized_only_when_its_turn_comes()
    {
        var speech = new GatedSynthesizer();
        await using var room = new RoomFixture(_db.Path, speech: speech, options: new EngineOptions { SpeakAheadLines = 0 });
        await room.Controller.EnqueueAsync(Say("a"));
        await room.Controller.EnqueueAsync(Say("b"));

        room.Ticks(1);

        Assert.Equal(["a"], speech.StartedTexts);
    }

    [Fact]
    public async Task Only_the_next_lines_up_to_SpeakAheadLines_are_synthesized_ahead()
    {
        var speech = new GatedSynthesizer();
        await using var room = new RoomFixture(_db.Path, speech: speech, options: new EngineOptions { SpeakAheadLines = 2 });
        foreach (var text in new[] { "a", "b", "c", "d" }) await room.Controller.EnqueueAsync(Say(text));

        room.Ticks(1);

        Assert.Equal(["a", "b", "c"], speech.StartedTexts);
        Assert.Equal(2, room.Engine.Ahead.Count);
    }

    [Fact]
    public async Task A_removed_line_and_cleared_lines_have_their_synthesis_stopped_and_audio_freed()
    {
        var speech = new GatedSynthesizer();
        await using var room = new RoomFixture(_db.Path, speech: speech);
        await room.Controller.EnqueueAsync(Say("a"));
        var b = await room.Controller.EnqueueAsync(Say("b"));
        await room.Controller.EnqueueAsync(Say("c"));
        room.Ticks(1);
        speech.Release("b");
        room.Ticks(1);
        Assert.True(room.Engine.Ahead.BufferedSamples > 0);

        await room.Controller.RemoveAsync(b.Id);
        room.Ticks(1);

        Assert.True(speech.StreamOf("b").IsCancelled);
        Assert.False(speech.StreamOf("c").IsCancelled);
        Assert.Equal(1, room.Engine.Ahead.Count);
        Assert.Equal(0, room.Engine.Ahead.BufferedSamples);

        await room.Controller.ClearQueueAsync();
        room.Ticks(1);

        Assert.True(speech.StreamOf("c").IsCancelled);
        Assert.Equal(0, room.Engine.Ahead.Count);
    }

    [Fact]
    public async Task Past_the_memory_cap_the_line_furthest_ahead_is_dropped_and_spoken_later_all_the_same()
    {
        // 20 s lines: 1.9 MB each; a 3 MB cap holds one.
        var speech = new GatedSynthesizer(lineMilliseconds: 20_000);
        await using var room = new RoomFixture(_db.Path, speech: speech, options: new EngineOptions { SpeakAheadMegabytes = 3 });
        foreach (var text in new[] { "a", "b", "c" }) await room.Controller.EnqueueAsync(Say(text));
        room.Ticks(1);
        speech.Release("b");
        speech.Release("c");

        room.Ticks(1);

        Assert.True(speech.StreamOf("c").IsCancelled);
        Assert.False(speech.StreamOf("b").IsCancelled);
        Assert.Equal(1, room.Engine.Ahead.DroppedForMemory);
        Assert.InRange(room.Engine.Ahead.BufferedSamples * 2, 1, 3 * 1024 * 1024);
    }
}
