using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Media;
using LiveHost.Speech;

namespace LiveHost.Engine.Tests;

/// <summary>
/// Engine:AudioLeadMilliseconds: the engine places audio ahead of the picture (issue 17), so each tick hands the
/// encoder frame n with the samples of tick n + lead, and frame n still shows what its own audio says.
/// </summary>
public sealed class AudioLeadTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(80, 2)]
    [InlineData(50, 1)]
    public async Task Each_tick_carries_the_audio_of_the_tick_the_lead_ahead_of_its_frame(double leadMs, int leadTicks)
    {
        await using var room = new RoomFixture(_db.Path, options: new EngineOptions { AudioLeadMilliseconds = leadMs });
        room.Ticks(10);

        Assert.Equal(leadTicks, room.Engine.AudioLeadTicks());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), room.Encoder.FrameIndexes);
        Assert.Equal(Enumerable.Range(leadTicks, 10).Select(i => (long)i), room.Encoder.AudioFrameIndexes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(80)]
    [InlineData(120)]
    public async Task The_first_frame_that_shows_the_presenter_speaking_is_the_one_whose_tick_holds_the_first_sound(double leadMs)
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 500, options: new EngineOptions { AudioLeadMilliseconds = leadMs });
        long firstAudioTick = -1;
        room.Engine.FirstAudioPlaced += (_, tick) => firstAudioTick = tick;
        await room.Controller.EnqueueAsync(new LineRequest(null, "hello world"));
        room.Ticks(40);

        var samples = room.Format.SamplesPerFrame;
        // The tick (on the audio's own timeline) whose samples first sound.
        var firstLoudTick = Enumerable.Range(0, room.Encoder.AudioFrameIndexes.Count)
            .First(k => room.Encoder.Audio.Skip(k * samples).Take(samples).Any(s => Math.Abs((int)s) > 100));
        var firstSoundingTick = room.Encoder.AudioFrameIndexes[firstLoudTick];
        var firstSpeakingFrame = room.Composer.Frames.FindIndex(f => f.Speaking);

        Assert.Equal(firstSoundingTick, firstAudioTick);
        Assert.Equal(firstSoundingTick, firstSpeakingFrame);
        Assert.Equal("hello world", room.Composer.Frames[firstSpeakingFrame].Caption);
        // Before it the mouth rests; the caption is already there, from the tick that took the line (CaptionFollowsTheCueTests).
        Assert.All(room.Composer.Frames.Take(firstSpeakingFrame), f => Assert.Equal((Viseme.Silence, false), (f.Viseme, f.Speaking)));
        // The line's end too: the last speaking frame is the last tick with its sound, however far the audio ran ahead.
        var lastLoudTick = Enumerable.Range(0, room.Encoder.AudioFrameIndexes.Count)
            .Last(k => room.Encoder.Audio.Skip(k * samples).Take(samples).Any(s => Math.Abs((int)s) > 100));
        Assert.Equal(room.Encoder.AudioFrameIndexes[lastLoudTick], room.Composer.Frames.FindLastIndex(f => f.Speaking));
    }

    [Fact]
    public async Task Each_frame_gets_the_audio_window_of_its_own_tick_not_of_the_tick_placed_with_it()
    {
        await using var lead = new RoomFixture(_db.Path, lineMilliseconds: 500, options: new EngineOptions { AudioLeadMilliseconds = 80 });
        using var otherDb = new TempDatabase();
        await using var none = new RoomFixture(otherDb.Path, lineMilliseconds: 500);
        foreach (var room in new[] { lead, none }) await room.Controller.EnqueueAsync(new LineRequest(null, "hello world"));
        lead.Ticks(30);
        none.Ticks(30);

        // Frame n + 2 with the lead moves the mouth as frame n does without it: the same tick of audio, two ticks later.
        for (var n = 0; n < 28; n++)
        {
            Assert.Equal((none.Composer.Frames[n].Viseme, none.Composer.Frames[n].Speaking), (lead.Composer.Frames[n + 2].Viseme, lead.Composer.Frames[n + 2].Speaking));
            Assert.Equal(none.Composer.AudioWindows[n], lead.Composer.AudioWindows[n + 2]);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(201)]
    public void A_lead_outside_0_to_200_ms_is_refused_with_the_setting_named(double leadMs)
    {
        var errors = new EngineOptions { AudioLeadMilliseconds = leadMs }.Validate();
        Assert.Contains(errors, e => e.StartsWith("Engine:AudioLeadMilliseconds must be 0 to 200", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(80, 25, 2)]
    [InlineData(80, 30, 2)]
    [InlineData(100, 30, 3)]
    [InlineData(10, 25, 0)]
    public void The_lead_is_rounded_to_whole_ticks_of_the_room(double leadMs, int fps, int ticks) =>
        Assert.Equal(ticks, RoomEngine.AudioLeadTicks(new EngineOptions { AudioLeadMilliseconds = leadMs }, new MediaFormat(320, 240, fps)));
}
