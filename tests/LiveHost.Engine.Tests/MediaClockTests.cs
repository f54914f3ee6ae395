using LiveHost.Engine.Lines;
using Microsoft.Extensions.Time.Testing;
using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Tests.Doubles;
using LiveHost.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Engine.Tests;

public sealed class MediaClockTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(25)]
    [InlineData(30)]
    public async Task The_loop_produces_one_frame_per_frame_period_of_the_clock_and_catches_up_late_wakeups(int fps)
    {
        var time = new FakeTimeProvider();
        var format = new MediaFormat(320, 240, fps);
        using var store = new Persistence.SqliteLineStore(_db.Path);
        await using var journal = new Persistence.StorageJournal(store, store, new JournalOptions(), TimeProvider.System, NullLogger<Persistence.StorageJournal>.Instance);
        var encoder = new RecordingEncoder(format);
        var speech = new ToneSynthesizer();
        var engine = new RoomEngine(new RoomDefinition("main", "en", format), new LineQueue(), journal, speech,
            new RecordingComposer(), encoder, new RecordingEvents(), new EngineOptions(), time, NullLogger<RoomEngine>.Instance);
        await using (engine)
        {
            engine.Start();
            await WaitFor(() => engine.FrameIndex >= 1);

            // One second in small steps: exactly fps frames (plus the first, produced at t=0).
            for (var i = 0; i < 50; i++)
            {
                time.Advance(TimeSpan.FromMilliseconds(20));
                var expected = (long)((i + 1) * 20 * fps / 1000.0) + 1;
                await WaitFor(() => engine.FrameIndex >= expected);
            }
            Assert.Equal(fps + 1, engine.FrameIndex);

            // A wake-up 120 ms late still yields every frame owed: the timeline keeps pace with the clock.
            time.Advance(TimeSpan.FromMilliseconds(120));
            var owed = fps + 1 + (long)(120 * fps / 1000.0);
            await WaitFor(() => engine.FrameIndex >= owed);
            Assert.Equal(owed, engine.FrameIndex);
        }
        Assert.Equal(encoder.FrameIndexes.Count * (48000 / fps), encoder.Audio.Count);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the engine did not produce the frames in time");
            await Task.Delay(5);
        }
        await Task.Delay(20);
    }
}
