using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Speech;
using LiveHost.TestSupport;

namespace LiveHost.Engine.Tests;

public sealed class AudioLineTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    /// <summary>A clip no tone or silence can fake: every sample differs from its neighbours and none is zero.</summary>
    private static short[] Clip(int samples, int seed = 1) =>
        Enumerable.Range(0, samples).Select(i => (short)((i * 7919 + seed * 104729) % 28000 + 1000)).ToArray();

    private static int IndexOf(List<short> audio, short[] clip)
    {
        for (var i = 0; i + clip.Length <= audio.Count; i++)
        {
            if (audio[i] == clip[0] && audio.Skip(i).Take(clip.Length).SequenceEqual(clip)) return i;
        }
        return -1;
    }

    private string ClipFile(RoomFixture room, string id) => Path.Combine(room.Store.ClipDirectory, id + ".pcm");

    [Fact]
    public async Task An_audio_line_plays_its_exact_samples_then_finishes_completed_and_its_clip_is_deleted()
    {
        await using var room = new RoomFixture(_db.Path);
        var clip = Clip(72_000); // 1.5 s
        var ticket = await room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, clip, "recorded hello"));
        Assert.True(File.Exists(ClipFile(room, ticket.Id)), "the clip is on disk before the line is acknowledged");
        Assert.Equal(LineKind.Audio, Assert.Single(room.Queue.Snapshot()).Kind);

        room.Ticks(60);

        var audio = room.Encoder.Audio;
        // Sample for sample from the very first tick, then silence: nothing resampled, faded, lost or added.
        Assert.Equal(clip, audio.Take(clip.Length));
        Assert.All(audio.Skip(clip.Length), s => Assert.Equal(0, s));

        var started = Assert.Single(room.Events.Started);
        Assert.Equal(LineKind.Audio, started.Kind);
        var finished = Assert.Single(room.Events.Finished);
        Assert.Equal(ticket.Id, finished.Id);
        Assert.Equal(FinishReason.Completed, finished.Reason);
        Assert.Equal(LineKind.Audio, finished.Kind);
        await room.Journal.FlushAsync();
        Assert.Empty(room.Store.LoadUnfinished("main"));
        Assert.False(File.Exists(ClipFile(room, ticket.Id)), "a finished line's clip is deleted");

        // The phoneme mouth has no marks for recorded audio: the caption shows and the mouth rests.
        // (1.5 s is 37.5 ticks at 25 fps: 38 ticks carry it, and the last one, where it ends, draws no caption.)
        var speaking = room.Composer.Frames.Where(f => f.Speaking).ToList();
        Assert.Equal(38, speaking.Count);
        Assert.All(speaking, f => Assert.Equal(Viseme.Silence, f.Viseme));
        Assert.Equal(37, room.Composer.Frames.Count(f => f.Caption == "recorded hello"));
    }

    [Fact]
    public async Task A_long_audio_line_plays_whole_without_a_gap()
    {
        await using var room = new RoomFixture(_db.Path);
        var clip = Clip(48_000 * 5 + 123, seed: 3);
        await room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, clip));

        room.Ticks(140);

        Assert.Equal(clip, room.Encoder.Audio.Take(clip.Length));
        Assert.Equal(FinishReason.Completed, Assert.Single(room.Events.Finished).Reason);
        Assert.All(room.Composer.Frames.Where(f => f.Speaking), f => Assert.Null(f.Caption));
    }

    [Fact]
    public async Task The_tick_never_reads_a_clip_it_starts_silent_and_plays_the_clip_whole_from_the_tick_after_the_read()
    {
        var reads = new HeldTaskScheduler();
        await using var room = new RoomFixture(_db.Path, clipReads: reads);
        var clip = Clip(9600, seed: 11);
        var ticket = await room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, clip, "held"));

        room.Ticks(5);

        // The line is taken and current, but its file is read by the scheduler the tick handed it to, not by the tick.
        Assert.Equal(ticket.Id, room.Engine.CurrentLine?.Id);
        Assert.Equal(1, reads.Held);
        Assert.All(room.Encoder.Audio, s => Assert.Equal(0, s));
        Assert.Empty(room.Events.Finished);

        reads.RunAll();
        room.Ticks(20);

        Assert.Equal(5 * room.Format.SamplesPerFrame, IndexOf(room.Encoder.Audio, clip));
        var finished = Assert.Single(room.Events.Finished);
        Assert.Equal((ticket.Id, FinishReason.Completed), (finished.Id, finished.Reason));
    }

    [Fact]
    public async Task A_queued_audio_line_survives_a_restart_and_plays_exactly_after_it()
    {
        var clip = Clip(24_000, seed: 5);
        string textId, audioId;
        await using (var before = new RoomFixture(_db.Path, lineMilliseconds: 2000))
        {
            textId = (await before.Controller.EnqueueAsync(new LineRequest(null, "spoken first"))).Id;
            audioId = (await before.Controller.EnqueueAudioAsync(new AudioLineRequest(null, clip, "then this"))).Id;
            before.Ticks(5);
            Assert.Equal(textId, before.Engine.CurrentLine?.Id);
        }

        await using var after = new RoomFixture(_db.Path, lineMilliseconds: 100);
        var queued = after.Queue.Snapshot();
        Assert.Equal([textId, audioId], queued.Select(l => l.Id));
        Assert.Equal([LineKind.Text, LineKind.Audio], queued.Select(l => l.Kind));
        Assert.Equal("then this", queued[1].Text);

        after.Ticks(40);
        Assert.Equal([textId, audioId], after.Events.Finished.Select(l => l.Id));
        Assert.All(after.Events.Finished, l => Assert.Equal(FinishReason.Completed, l.Reason));
        Assert.True(IndexOf(after.Encoder.Audio, clip) >= 4800, "the clip plays whole after the 100 ms text line");
        // The clip goes with the finished row, which the journal writes off the tick: wait for it, not for luck.
        await after.Journal.FlushAsync();
        Assert.False(File.Exists(ClipFile(after, audioId)));
    }

    [Fact]
    public async Task Cueing_an_audio_line_cuts_the_current_line_and_plays_the_clip_next()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        var first = await room.Controller.EnqueueAsync(new LineRequest(null, "long text line"));
        room.Ticks(10);
        var clip = Clip(9600, seed: 7);
        var cued = await room.Controller.CueAudioNowAsync(new AudioLineRequest(null, clip, "breaking"));
        Assert.Equal(0, cued.Position);
        var beforeCut = room.Encoder.Audio.Count;
        room.Ticks(1);

        var interrupted = Assert.Single(room.Events.Finished);
        Assert.Equal((first.Id, FinishReason.Interrupted), (interrupted.Id, interrupted.Reason));
        Assert.Equal(cued.Id, room.Engine.CurrentLine?.Id);

        room.Ticks(10);
        // The cut tick fades the text line out over its first 10 ms; the clip, read already, starts whole right after.
        Assert.Equal(clip, room.Encoder.Audio.Skip(beforeCut + 480).Take(clip.Length));
        Assert.Equal([first.Id, cued.Id], room.Events.Finished.Select(l => l.Id));
        Assert.Equal(FinishReason.Completed, room.Events.Finished.Last().Reason);
    }

    [Fact]
    public async Task Cleared_and_skipped_audio_lines_finish_once_and_lose_their_clips()
    {
        await using var room = new RoomFixture(_db.Path);
        var playing = await room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, Clip(48_000)));
        var waiting = await room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, Clip(48_000, seed: 2)));
        room.Ticks(3);
        await room.Controller.ClearQueueAsync();
        await room.CommandAsync(c => c.SkipAsync(), more: 2);

        var finished = room.Events.Finished.ToList();
        Assert.Equal(2, finished.Count);
        Assert.Contains(finished, l => l.Id == waiting.Id && l.Reason == FinishReason.Cleared);
        Assert.Contains(finished, l => l.Id == playing.Id && l.Reason == FinishReason.Skipped);
        await room.Journal.FlushAsync();
        Assert.Empty(Directory.EnumerateFiles(room.Store.ClipDirectory));
        Assert.Empty(room.Store.LoadUnfinished("main"));
    }

    [Fact]
    public async Task An_audio_line_whose_clip_is_gone_fails_once_and_the_room_goes_on()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 200);
        var lost = await room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, Clip(4800)));
        var next = await room.Controller.EnqueueAsync(new LineRequest(null, "after the lost clip"));
        File.Delete(ClipFile(room, lost.Id));
        room.Ticks(20);

        Assert.Equal([(lost.Id, FinishReason.Failed), (next.Id, FinishReason.Completed)], room.Events.Finished.Select(l => (l.Id, l.Reason!.Value)));
    }

    [Theory]
    [InlineData(0, "empty")]
    [InlineData(120 * 48_000 + 1, "the limit is 120 s")]
    public async Task Empty_or_over_long_audio_is_refused_and_changes_nothing(int samples, string message)
    {
        await using var room = new RoomFixture(_db.Path);
        var refused = await Assert.ThrowsAsync<CommandRejectedException>(async () =>
            await room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, new short[samples])));
        Assert.Equal(RejectionCode.InvalidInput, refused.Code);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Empty(room.Queue.Snapshot());
        Assert.Empty(room.Events.All);
        Assert.False(Directory.Exists(room.Store.ClipDirectory) && Directory.EnumerateFiles(room.Store.ClipDirectory).Any());
    }

    [Fact]
    public async Task Clips_left_without_an_unfinished_line_are_removed_at_start()
    {
        string folder;
        await using (var room = new RoomFixture(_db.Path))
        {
            folder = room.Store.ClipDirectory;
            await room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, Clip(4800)));
        }
        // As if the process died after writing a clip but before its row went in.
        File.WriteAllBytes(Path.Combine(folder, "0123456789abcdef0123456789abcdef.pcm"), new byte[10]);
        File.WriteAllBytes(Path.Combine(folder, "fedcba9876543210fedcba9876543210.pcm.tmp"), new byte[10]);

        await using var after = new RoomFixture(_db.Path);
        var kept = Assert.Single(Directory.EnumerateFiles(folder));
        Assert.Equal(Assert.Single(after.Queue.Snapshot()).Id + ".pcm", Path.GetFileName(kept));
    }

    [Fact]
    public void A_database_from_before_audio_lines_is_upgraded_and_its_lines_are_text()
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_db.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE lines (id TEXT PRIMARY KEY, room TEXT NOT NULL, text TEXT NOT NULL, language TEXT NOT NULL,
                    voice TEXT NULL, tag TEXT NULL, status TEXT NOT NULL, reason TEXT NULL, ord INTEGER NOT NULL,
                    queued_at TEXT NOT NULL, started_at TEXT NULL, finished_at TEXT NULL);
                INSERT INTO lines VALUES ('old1', 'main', 'from before', 'en', NULL, NULL, 'queued', NULL, 1, '2024-01-01T00:00:00.0000000+00:00', NULL, NULL);
                """;
            command.ExecuteNonQuery();
        }

        using var store = new SqliteLineStore(_db.Path);
        var line = Assert.Single(store.LoadUnfinished("main"));
        Assert.Equal(("old1", LineKind.Text), (line.Id, line.Kind));
    }
}
