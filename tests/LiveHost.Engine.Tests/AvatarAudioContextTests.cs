using LiveHost.Avatars;
using LiveHost.Engine.Lines;
using LiveHost.Speech;

namespace LiveHost.Engine.Tests;

public sealed class AvatarAudioContextTests : IDisposable
{
    private const int C = AvatarFrame.AudioContextSamples;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task The_avatar_sees_the_audio_ahead_of_each_frame_exactly_as_it_will_play()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        await room.Controller.EnqueueAsync(new LineRequest(null, "hello"));
        room.Ticks(20);

        var spf = room.Format.SamplesPerFrame;
        for (var tick = 2; tick < 10; tick++)
        {
            var window = room.Composer.AudioWindows[tick];
            Assert.Equal(2 * C, window.Length);
            // The part after this tick's own samples is what the following ticks play, sample for sample.
            for (var i = 0; i < C; i += 97)
            {
                var played = room.Encoder.Audio[tick * spf + i] / 32768f;
                Assert.Equal(played, window[C + i], 5);
            }
            // And the part before is what was heard.
            for (var i = 0; i < C && tick * spf - C + i >= 0; i += 89)
            {
                Assert.Equal(room.Encoder.Audio[tick * spf - C + i] / 32768f, window[i], 5);
            }
        }
    }

    [Fact]
    public async Task After_a_line_ends_the_window_remembers_it_for_200ms_then_falls_silent()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 400);
        await room.Controller.EnqueueAsync(new LineRequest(null, "short"));
        room.Ticks(30);

        var lastLoud = room.Encoder.Audio.FindLastIndex(s => s != 0) / room.Format.SamplesPerFrame;
        var after = room.Composer.AudioWindows[lastLoud + 1];
        Assert.Contains(after.AsSpan(0, C).ToArray(), v => Math.Abs(v) > 0.1f);
        Assert.All(after.AsSpan(C).ToArray(), v => Assert.Equal(0f, v));
        var later = room.Composer.AudioWindows[lastLoud + 1 + C / room.Format.SamplesPerFrame + 1];
        Assert.All(later, v => Assert.Equal(0f, v));
    }
}
