using System.Globalization;
using LiveHost.Recording.Mp4;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Recording.Tests;

/// <summary>
/// The recorder on real H.264 + AAC: what it writes is read back by ffprobe and decoded by ffmpeg, and the files on
/// disk are rotated, expired and kept within the disk-space floor.
/// </summary>
public sealed class RoomRecorderTests(SyntheticRecording media) : IClassFixture<SyntheticRecording>, IDisposable
{
    private const string AigcJson = "{\"Label\":\"1\",\"ContentProducer\":\"LiveHost\",\"ProduceID\":\"abc\"}";
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-recorder-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 19, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RoomRecorder Recorder(Media.MediaBroadcaster source, IDiskSpace? disk = null, TimeSpan? rotate = null, TimeSpan? retention = null, long minFree = 0) =>
        new("main", source, new RecorderOptions
        {
            Directory = _folder,
            Rotate = rotate ?? TimeSpan.FromMinutes(30),
            Retention = retention ?? TimeSpan.Zero,
            MinFreeBytes = minFree,
            Tags = new Mp4Tags(AigcJson, [new("AIGC", AigcJson)]),
        }, disk ?? new FixedDisk(long.MaxValue), _time, NullLogger<RoomRecorder>.Instance);

    [Fact]
    public async Task A_recording_plays_back_in_ffprobe_as_H264_and_AAC_with_the_AIGC_tag_and_the_clips_duration()
    {
        var source = media.NewBroadcaster();
        await using var recorder = Recorder(source);
        Assert.True(recorder.Start());
        media.Publish(source);
        Assert.True(await recorder.StopAsync());

        var file = Assert.Single(Directory.GetFiles(_folder));
        var probe = await FfmpegTools.ProbeAsync(file, TimeSpan.FromSeconds(30));
        Assert.Equal("h264", probe.Video?.CodecName);
        Assert.Equal(320, probe.Video?.Width);
        Assert.Equal("aac", probe.Audio?.CodecName);
        Assert.Equal(48_000, probe.Audio?.SampleRate);
        Assert.Equal(AigcJson, probe.FormatTags["AIGC"]);
        Assert.Equal(AigcJson, probe.FormatTags["comment"]);
        var clip = media.Stream.LoopLength90k / 90_000.0;
        Assert.InRange(ProbedDuration(probe), clip - 0.05, clip + 0.05);

        var listed = Assert.Single(recorder.List());
        Assert.Equal(Path.GetFileName(file), listed.Name);
        Assert.Equal(_time.GetUtcNow(), listed.Start);
        Assert.Equal(new FileInfo(file).Length, listed.Bytes);
        Assert.InRange(listed.Duration.TotalSeconds, clip - 0.05, clip + 0.05);
        Assert.False(listed.Recording);
        await AssertDecodesAsync(file, media.Stream.VideoFrameCount);
    }

    [Fact]
    public async Task A_file_cut_in_the_middle_of_its_last_fragment_still_plays_every_fragment_before_it()
    {
        var source = media.NewBroadcaster();
        await using var recorder = Recorder(source);
        recorder.Start();
        media.Publish(source);
        await recorder.StopAsync();
        var file = Assert.Single(Directory.GetFiles(_folder));
        var whole = ReadSummary(file);
        Assert.Equal(2, whole.Fragments); // 4 s at a 2 s GOP

        // Cut as a crash would: part-way through the last fragment's mdat.
        var bytes = await File.ReadAllBytesAsync(file);
        var lastMoof = Mp4Box.Children(bytes).Last(b => b.Type == "moof").Offset;
        await File.WriteAllBytesAsync(file, bytes[..(lastMoof + (bytes.Length - lastMoof) / 2)]);

        var cut = ReadSummary(file);
        Assert.Equal(1, cut.Fragments);
        Assert.Equal(lastMoof, cut.CompleteBytes);
        Assert.InRange(cut.Duration.TotalSeconds, 1.99, 2.01);
        var probe = await FfmpegTools.ProbeAsync(file, TimeSpan.FromSeconds(30));
        Assert.Equal("h264", probe.Video?.CodecName);
        Assert.Equal("aac", probe.Audio?.CodecName);
        await AssertDecodesAsync(file, minimumFrames: 50, cut: true);
    }

    [Fact]
    public async Task A_new_file_starts_at_the_first_keyframe_after_the_rotation_period_and_each_file_plays_alone()
    {
        var source = media.NewBroadcaster();
        await using var recorder = Recorder(source, rotate: TimeSpan.FromSeconds(3));
        var closed = new List<string>();
        recorder.FileClosed += closed.Add;
        recorder.Start();
        media.Publish(source, loops: 2); // 8 s, keyframes every 2 s: files of 4 s (the first keyframe at or past 3 s is at 4 s)
        await recorder.StopAsync();

        var files = recorder.List();
        Assert.Equal(2, files.Count);
        Assert.Equal(closed.Select(Path.GetFileName), files.Select(f => f.Name));
        foreach (var file in files)
        {
            Assert.InRange(file.Duration.TotalSeconds, 3.99, 4.01);
            var probe = await FfmpegTools.ProbeAsync(Path.Combine(_folder, file.Name), TimeSpan.FromSeconds(30));
            Assert.InRange(ProbedDuration(probe), 3.95, 4.05);
        }
    }

    [Fact]
    public async Task Files_last_written_before_the_retention_period_are_deleted_when_a_file_starts_and_other_files_are_left()
    {
        var folder = new RecordingFolder("main", _folder);
        var old = folder.NewFilePath(_time.GetUtcNow().AddHours(-30));
        var recent = folder.NewFilePath(_time.GetUtcNow().AddHours(-2));
        var foreign = Path.Combine(_folder, "notes.mp4");
        foreach (var path in new[] { old, recent, foreign }) await File.WriteAllBytesAsync(path, [0]);
        File.SetLastWriteTimeUtc(old, _time.GetUtcNow().AddHours(-25).UtcDateTime);
        File.SetLastWriteTimeUtc(recent, _time.GetUtcNow().AddHours(-1).UtcDateTime);
        File.SetLastWriteTimeUtc(foreign, _time.GetUtcNow().AddHours(-99).UtcDateTime);

        var source = media.NewBroadcaster();
        await using var recorder = Recorder(source, retention: TimeSpan.FromHours(24));
        recorder.Start();
        media.Publish(source);
        await recorder.StopAsync();

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(foreign));
        Assert.Equal(2, recorder.List().Count);
    }

    [Fact]
    public async Task Recording_stops_with_a_reason_before_a_fragment_would_take_the_disk_below_the_floor_and_the_file_stays_playable()
    {
        var source = media.NewBroadcaster();
        // Room for the init segment and the first fragment only (the clip's fragments are alike in size): the disk
        // "fills" by what the recorder writes.
        var firstFragment = media.Stream.Samples.Where(s => s.Pts90k < 180_000).Sum(s => (long)s.Data.Length);
        var disk = new ShrinkingDisk(_folder, startFree: 10_000_000, floor: 10_000_000 - (firstFragment * 3 / 2) - 20_000);
        await using var recorder = Recorder(source, disk, minFree: disk.Floor);
        recorder.Start();
        var stopped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.FileClosed += stopped.SetResult;
        media.Publish(source, loops: 2);
        var file = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("MinFreeDiskMb", recorder.StoppedReason, StringComparison.Ordinal);
        await recorder.StopAsync();
        Assert.False(recorder.IsRecording);
        Assert.True(disk.FreeBytes(_folder) >= disk.Floor, $"free {disk.FreeBytes(_folder)} went under the floor {disk.Floor}");
        var summary = ReadSummary(file);
        Assert.InRange(summary.Fragments, 1, 3);
        Assert.Equal(new FileInfo(file).Length, summary.CompleteBytes);
        await AssertDecodesAsync(file, minimumFrames: 50);
    }

    [Fact]
    public async Task Starting_below_the_disk_floor_writes_no_file_and_says_why()
    {
        var source = media.NewBroadcaster();
        await using var recorder = Recorder(source, new FixedDisk(100L * 1024 * 1024), minFree: 1024L * 1024 * 1024);
        recorder.Start();
        media.Publish(source);
        await recorder.StopAsync();

        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Equal($"only 100 MB free on the disk of {_folder}, under the 1024 MB floor (Recording:MinFreeDiskMb)", recorder.StoppedReason);
    }

    [Fact]
    public async Task Start_while_recording_and_stop_while_stopped_change_nothing()
    {
        var source = media.NewBroadcaster();
        await using var recorder = Recorder(source);
        Assert.False(await recorder.StopAsync());
        Assert.True(recorder.Start());
        Assert.False(recorder.Start());
        Assert.Equal(1, source.SubscriberCount);
        Assert.True(await recorder.StopAsync());
        Assert.Equal(0, source.SubscriberCount);
    }

    private static Mp4RecordingSummary ReadSummary(string file)
    {
        using var stream = File.OpenRead(file);
        return Mp4RecordingReader.Read(stream);
    }

    private static double ProbedDuration(ProbeResult probe)
    {
        using var json = System.Text.Json.JsonDocument.Parse(probe.Json);
        return double.Parse(json.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// ffmpeg decodes the pictures and the audio without one error; for a file cut by a crash, the only complaint
    /// allowed is ffmpeg's "partial file" about the cut fragment's missing bytes.
    /// </summary>
    private static async Task AssertDecodesAsync(string file, int minimumFrames, bool cut = false)
    {
        var (exit, framemd5, stderr) = await FfmpegTools.RunAsync("ffmpeg",
            ["-hide_banner", "-v", "error", "-i", file, "-map", "0:v", "-f", "framemd5", "-", "-map", "0:a", "-f", "null", "-"],
            TimeSpan.FromSeconds(60));
        var complaints = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !(cut && l.EndsWith("partial file", StringComparison.Ordinal))).ToList();
        Assert.True(exit == 0 && complaints.Count == 0, $"ffmpeg decoding {file}: exit {exit}: {stderr}");
        var frames = System.Text.Encoding.ASCII.GetString(framemd5).Split('\n').Count(l => l.Length > 0 && l[0] != '#');
        Assert.True(frames >= minimumFrames, $"{frames} pictures decoded from {file}, expected at least {minimumFrames}");
    }

    private sealed class FixedDisk(long free) : IDiskSpace
    {
        public long FreeBytes(string directory) => free;
    }

    /// <summary>A disk of <paramref name="startFree"/> bytes that what is written in <paramref name="folder"/> fills.</summary>
    private sealed class ShrinkingDisk(string folder, long startFree, long floor) : IDiskSpace
    {
        public long Floor => floor;

        public long FreeBytes(string directory) => startFree - Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);
    }
}
