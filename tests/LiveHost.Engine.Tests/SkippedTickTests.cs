using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Engine.Tests;

/// <summary>
/// Issue 17: when the loop falls behind the clock and skips ticks, the media timeline advances over them (a gap on both
/// tracks, not a late burst), so the stream stays on the wall clock; the line being spoken loses nothing and every
/// frame still shows its own audio, the audio placed ahead of the picture included. The clock is a fake one, advanced
/// by the test; the engine runs its own loop.
/// </summary>
public sealed class SkippedTickTests : IDisposable
{
    private const int Fps = 25;
    private const int LeadTicks = 3; // 120 ms at 25 fps
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly TempDatabase _db = new();
    private readonly TempDatabase _referenceDb = new();

    public void Dispose()
    {
        _db.Dispose();
        _referenceDb.Dispose();
    }

    [Fact]
    public async Task A_skip_leaves_a_gap_of_the_skipped_ticks_in_both_tracks_and_the_line_goes_on_after_it_with_its_pictures()
    {
        var options = new EngineOptions { AudioLeadMilliseconds = 120, LateTickMilliseconds = 200 };
        var time = new FakeTimeProvider();
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000, time: time, options: options);
        await room.Controller.EnqueueAsync(new LineRequest(null, "hello world"));
        room.Engine.Start();

        // Ten ticks on time (t = 0 .. 360 ms), then the clock jumps 400 ms: ticks 10 to 18 are owed too late and skipped,
        // tick 19 is produced; then 40 more ticks on time.
        await Produced(room, 1);
        for (var i = 1; i < 10; i++) await Advance(time, room, TimeSpan.FromMilliseconds(40), i + 1);
        await Advance(time, room, TimeSpan.FromMilliseconds(400), 11);
        for (var i = 0; i < 40; i++) await Advance(time, room, TimeSpan.FromMilliseconds(40), 12 + i);

        const int skipped = 9;
        var expectedFrames = Enumerable.Range(0, 10).Concat(Enumerable.Range(10 + skipped, 41)).Select(i => (long)i).ToArray();
        Assert.Equal(expectedFrames, room.Encoder.FrameIndexes);
        // The audio's timeline has the same gap: each tick still places the audio of the tick the lead ahead of its frame.
        Assert.Equal(expectedFrames.Select(f => f + LeadTicks), room.Encoder.AudioFrameIndexes);
        Assert.Equal(1, room.Engine.Statistics.LateTicks);
        Assert.Equal(skipped, room.Engine.Statistics.SkippedFrames);

        // Nothing of the line is lost or doubled over the gap: the samples placed are those of the same number of ticks
        // produced without a skip, in the same order (the line resumes where it stopped; the gap itself carries nothing).
        await using var reference = new RoomFixture(_referenceDb.Path, lineMilliseconds: 2000, options: options);
        await reference.Controller.EnqueueAsync(new LineRequest(null, "hello world"));
        reference.Ticks(expectedFrames.Length);
        Assert.Equal(reference.Encoder.Audio.Count, room.Encoder.Audio.Count);
        Assert.True(reference.Encoder.Audio.SequenceEqual(room.Encoder.Audio), "the line's samples differ from those placed without a skip");
        Assert.Contains(room.Encoder.Audio.Skip((10 + 20) * room.Format.SamplesPerFrame).Take(room.Format.SamplesPerFrame), s => Math.Abs((int)s) > 100);

        // Each frame shows what its own tick's audio says. Audio tick a carries what audio tick a' carries in the
        // reference (a' = a before the gap, a - skipped after it), so frame a must look like the reference's frame a'.
        var placed = room.Encoder.AudioFrameIndexes.ToHashSet();
        for (var i = 0; i < room.Encoder.FrameIndexes.Count; i++)
        {
            var frame = room.Encoder.FrameIndexes[i];
            var shown = room.Composer.Frames[i];
            if (placed.Contains(frame) || frame < LeadTicks)
            {
                var same = frame < 10 + LeadTicks ? frame : frame - skipped;
                Assert.Equal(reference.Composer.Frames[(int)same], shown);
            }
            else
            {
                // Frame in the audio's gap (no sound there): still and silent, the line's caption kept on screen.
                Assert.Equal((LiveHost.Speech.Viseme.Silence, "hello world", false), shown);
            }
        }
        Assert.Contains(room.Composer.Frames, f => f.Speaking);
    }

    [Fact]
    public async Task Without_an_audio_lead_a_skip_is_the_same_gap_in_frames_and_audio()
    {
        var options = new EngineOptions { AudioLeadMilliseconds = 0, LateTickMilliseconds = 200 };
        var time = new FakeTimeProvider();
        await using var room = new RoomFixture(_db.Path, time: time, options: options);
        room.Engine.Start();
        await Produced(room, 1);
        await Advance(time, room, TimeSpan.FromMilliseconds(1000), 2);
        await Advance(time, room, TimeSpan.FromMilliseconds(40), 3);
        await Advance(time, room, TimeSpan.FromMilliseconds(40), 4);

        // Read from what was written, not from the engine's counter: the encoder sees a frame before the loop's thread
        // moves its index on, so the counter read here could still be one behind.
        Assert.Equal([0L, 25, 26, 27], room.Encoder.FrameIndexes);
        Assert.Equal(room.Encoder.FrameIndexes, room.Encoder.AudioFrameIndexes);
    }

    private static async Task Advance(FakeTimeProvider time, RoomFixture room, TimeSpan by, int ticks)
    {
        time.Advance(by);
        await Produced(room, ticks);
    }

    private static Task Produced(RoomFixture room, int ticks) =>
        EventCondition.WhenAsync<long>(h => room.Encoder.Written += h, h => room.Encoder.Written -= h, () => room.Encoder.Count >= ticks, Wait);
}
