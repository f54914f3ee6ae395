using System.Buffers.Binary;
using LiveHost.Media.Codecs;
using LiveHost.Encoding.Tests.Fixtures;
using LiveHost.Media;
using LiveHost.TestSupport;

namespace LiveHost.Encoding.Tests;

/// <summary>The room encode against the real ffmpeg 5.1 on PATH and Debian's libx264.so.164, each video path where it matters.</summary>
public sealed class RoomEncoderTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(25, 3600, VideoEncoderKind.Libx264)]
    [InlineData(30, 3000, VideoEncoderKind.Libx264)]
    [InlineData(25, 3600, VideoEncoderKind.FfmpegProcess)]
    [InlineData(30, 3000, VideoEncoderKind.FfmpegProcess)]
    public async Task EncodesThreeSecondsIntoConstrainedBaselineWithFixedGopAndFrameClockPts(int fps, int ptsStep, VideoEncoderKind kind)
    {
        var format = new MediaFormat(320, 240, fps);
        await using var harness = new EncoderHarness(output, format, new EncoderOptions { VideoQueueCapacity = 32, VideoEncoder = kind });
        await harness.StartAsync();
        await harness.WriteRealTimeAsync(3 * fps);
        await harness.FinishAsync();

        var video = harness.Video;
        Assert.Equal(0, harness.Encoder.DroppedVideoFrames);
        Assert.InRange(video.Count, harness.FramesAccepted - 2, harness.FramesAccepted);
        Assert.True(video[0].IsKeyframe, "the first access unit must be an IDR");

        var gop = 2 * fps;
        for (var i = 0; i < video.Count; i++)
        {
            Assert.Equal(i % gop == 0, video[i].IsKeyframe);
            Assert.Equal((long)i * ptsStep, video[i].Pts90k);
            Assert.True(AvccNalReader.TryInspect(video[i].Data.Span, out var info), $"access unit {i} has bad NAL lengths");
            Assert.Equal(video[i].IsKeyframe, info.HasIdrSlice);
            Assert.NotEqual(info.HasIdrSlice, info.HasNonIdrSlice);
        }

        var config = harness.Encoder.Output.VideoConfig;
        Assert.NotNull(config);
        Assert.Equal(66, config.ProfileIdc);
        Assert.True((config.ConstraintFlags & 0x40) != 0, $"constraint_set1 must be set for Constrained Baseline, flags 0x{config.ConstraintFlags:x2}");
        Assert.True(H264SequenceParameterSet.TryParse(config.Sps, out var sps));
        Assert.Equal((320, 240), (sps.Width, sps.Height));
        Assert.Equal((320, 240), (config.Width, config.Height));
        Assert.True(AvcDecoderConfiguration.TryParse(config.DecoderConfigurationRecord, out var record));
        Assert.Equal(config.Sps, record!.Sps);

        var latency = harness.Encoder.VideoLatency.Snapshot();
        // The first second includes starting ffmpeg and x264 (frames wait in the queue meanwhile); after it is steady state.
        var steady = harness.VideoLatencies.Skip(fps).Select(l => l.TotalMilliseconds).Order().ToArray();
        Assert.Equal(video.Count, harness.VideoLatencies.Count);
        output.WriteLine($"{kind}, {fps} fps: {harness.FramesAccepted} frames in, {video.Count} access units out, " +
            $"{video.Count(f => f.IsKeyframe)} keyframes, profile-level-id {config.ProfileLevelId}, " +
            $"{video.Sum(f => f.Data.Length) * 8 / 3 / 1000} kbit/s; Write->publish latency median {latency.Median.TotalMilliseconds:F1} ms, " +
            $"p95 {latency.P95.TotalMilliseconds:F1} ms, max {latency.Max.TotalMilliseconds:F1} ms (after the first second: median {steady[steady.Length / 2]:F1} ms, max {steady[^1]:F1} ms); audio median {harness.Encoder.AudioLatency.Snapshot().Median.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task Publishes_fifty_opus_frames_per_second_of_audio_beside_the_aac_timed_from_the_first_tick()
    {
        var format = new MediaFormat(320, 240, 25);
        await using var harness = new EncoderHarness(output, format);
        await harness.StartAsync();
        using var opus = harness.Encoder.Output.Subscribe("opus-test", capacity: 1000, MediaCodec.Opus);
        for (var i = 0; i < 30; i++) harness.WriteOne(); // 1.2 s of audio, 1920 samples a tick
        await harness.FinishAsync();

        var frames = new List<EncodedFrame>();
        while (opus.TryRead(out var frame)) frames.Add(frame!);

        // 57 600 samples are exactly 60 frames of 960: none is left waiting, none is lost, and pts counts 48 kHz samples.
        Assert.Equal(60, frames.Count);
        Assert.Equal(60, harness.Encoder.Counters.OpusFramesOut);
        Assert.All(frames, f => Assert.Equal((MediaCodec.Opus, MediaKind.Audio), (f.Codec, f.Kind)));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => i * 1800L), frames.Select(f => f.Pts90k));
        // Two frames a tick: the second starts 20 ms of samples into the tick that holds the first.
        for (var k = 0; k < 30; k++)
        {
            Assert.Equal(frames[2 * k].SourceTimestamp + System.Diagnostics.Stopwatch.Frequency / 50, frames[2 * k + 1].SourceTimestamp);
        }
        // The AAC subscribers (RTMP, recordings) see none of it.
        Assert.All(harness.Audio, f => Assert.Equal(MediaCodec.Aac, f.Codec));
        Assert.NotEmpty(harness.Audio);
    }

    [Fact]
    public async Task Ticks_the_engine_skipped_are_a_gap_in_the_pts_of_video_opus_and_aac_alike()
    {
        // Issue 17: a skip moves both tracks' timelines on by the skipped ticks; every output (RTP, FLV, MP4, MPEG-TS)
        // stamps from these pts, so the gap reaches each of them, and no sample written is lost.
        var format = new MediaFormat(320, 240, 25);
        await using var harness = new EncoderHarness(output, format, new EncoderOptions { VideoEncoder = VideoEncoderKind.Libx264 });
        await harness.StartAsync();
        using var opus = harness.Encoder.Output.Subscribe("opus-test", capacity: 1000, MediaCodec.Opus);
        await harness.WriteRealTimeAsync(10);
        harness.Skip(5);
        await harness.WriteRealTimeAsync(10);
        await harness.FinishAsync();

        const long tick90k = MediaFormat.Clock90k / 25;
        Assert.Equal(Enumerable.Range(0, 10).Concat(Enumerable.Range(15, 10)).Select(i => i * tick90k), harness.Video.Select(f => f.Pts90k));

        var opusFrames = new List<EncodedFrame>();
        while (opus.TryRead(out var frame)) opusFrames.Add(frame!);
        // 1920 samples a tick are two whole Opus frames: none padded, the first after the gap at tick 15's media time.
        Assert.Equal(Enumerable.Range(0, 20).Concat(Enumerable.Range(30, 20)).Select(i => i * 1800L), opusFrames.Select(f => f.Pts90k));

        // AAC frames are 1024 samples: the one begun before the gap is completed with 256 samples of silence, and the
        // frames after the gap count from tick 15's first sample.
        var aac = harness.Audio.Where(f => f.Codec == MediaCodec.Aac).Select(f => f.Pts90k).ToArray();
        var steps = aac.Zip(aac.Skip(1), (a, b) => b - a).ToArray();
        Assert.Equal(0, aac[0]);
        Assert.Contains(MediaFormat.AudioPts90k(15 * 1920), aac);
        Assert.Single(steps, s => s != 1920);
        Assert.Equal(MediaFormat.AudioPts90k(1024 + 5 * 1920 - 256), steps.Single(s => s != 1920));
        // Every sample written is in a frame: 20 ticks plus the padding, flushed at the end.
        Assert.True(aac.Length * 1024 >= 20 * 1920 + 256, $"{aac.Length} AAC frames for {20 * 1920 + 256} samples");
    }

    [Fact]
    public async Task EncodesTheToneIntoAacFramesThatDecodeBackToTheSameFrequency()
    {
        var format = new MediaFormat(320, 240, 25);
        await using var harness = new EncoderHarness(output, format, new EncoderOptions { VideoQueueCapacity = 128 });
        await harness.StartAsync();
        for (var i = 0; i < 75; i++) harness.WriteOne(); // audio is never dropped, so no need to pace it
        await harness.FinishAsync();

        var audio = harness.Audio;
        var expected = harness.SamplesWritten / 1024.0;
        Assert.InRange(audio.Count, (int)Math.Floor(expected) - 1, (int)Math.Ceiling(expected) + 1);
        for (var k = 0; k < audio.Count; k++)
        {
            Assert.Equal(k * 1920L, audio[k].Pts90k);
            Assert.True(audio[k].IsKeyframe);
        }
        var config = harness.Encoder.Output.AudioConfig;
        Assert.NotNull(config);
        Assert.Equal((48000, 1), (config.SampleRate, config.Channels));
        Assert.Equal(new byte[] { 0x11, 0x88 }, config.AudioSpecificConfig);

        var decoded = await DecodeAsync(audio);
        Assert.InRange(decoded.Length, harness.SamplesWritten - 2048, harness.SamplesWritten + 2048);
        var frequency = ZeroCrossingFrequency(decoded.AsSpan(4800, 96_000));
        output.WriteLine($"{audio.Count} AAC frames for {harness.SamplesWritten} samples; decoded {decoded.Length} samples at {frequency:F1} Hz");
        Assert.InRange(frequency, EncoderHarness.ToneHz - 3, EncoderHarness.ToneHz + 3);
    }

    [Fact]
    public async Task AFullVideoQueueDropsFramesWithoutBlockingWrite()
    {
        // The queue is the same whichever encoder reads it; an ffmpeg process is the one sure to fall behind a burst.
        var format = new MediaFormat(320, 240, 25);
        var options = new EncoderOptions { VideoEncoder = VideoEncoderKind.FfmpegProcess };
        await using var harness = new EncoderHarness(output, format, options);
        await harness.StartAsync();
        for (var i = 0; i < 200; i++) harness.WriteOne(); // far faster than real time: ffmpeg cannot keep up
        var dropped = harness.Encoder.DroppedVideoFrames;
        var counters = harness.Encoder.Counters;
        await harness.FinishAsync();

        var durations = harness.WriteDurations.Skip(1).Select(d => d.TotalMilliseconds).Order().ToArray(); // the first pays for JIT
        var median = durations[durations.Length / 2];
        var p95 = durations[(int)(durations.Length * 0.95)];
        output.WriteLine($"dropped {dropped} of 200; Write median {median * 1000:F0} us, p95 {p95 * 1000:F0} us, max {durations[^1] * 1000:F0} us; pool allocated {harness.Pool.Allocated}");

        Assert.True(dropped > 0, "200 frames in a burst must overflow a 4-frame queue");
        Assert.Equal(200, counters.VideoFramesQueued + dropped);
        Assert.True(median < 1.0, $"Write median {median} ms");
        Assert.True(p95 < 1.0, $"Write p95 {p95} ms");
        Assert.InRange(harness.Pool.Allocated, 1, options.VideoQueueCapacity + 3); // dropped pixels went straight back
        Assert.Equal(counters.VideoFramesQueued, harness.Video.Count); // everything accepted was still encoded
        Assert.Equal(200 * format.SamplesPerFrame, counters.AudioSamplesIn); // and no audio was dropped
    }

    [Fact]
    public async Task RestartsAKilledFfmpegAndResumesWithAKeyframe()
    {
        var format = new MediaFormat(320, 240, 25);
        await using var harness = new EncoderHarness(output, format, new EncoderOptions { RestartBackoff = TimeSpan.FromMilliseconds(200), VideoEncoder = VideoEncoderKind.FfmpegProcess });
        await harness.StartAsync();
        await harness.WriteRealTimeAsync(25);
        harness.Drain();
        var before = harness.Video.Count;
        Assert.True(before > 0);

        var killed = ChildProcesses.KillChildRunning("libx264");
        Assert.True(killed, "no ffmpeg child running libx264 was found");
        await harness.WriteRealTimeAsync(40);
        await harness.FinishAsync();

        var counters = harness.Encoder.Counters;
        output.WriteLine($"restarts {counters.VideoRestarts}, dropped {counters.VideoFramesDropped}, out before kill {before}, after {harness.Video.Count - before}");
        Assert.Equal(1, counters.VideoRestarts);
        Assert.Equal(0, counters.AudioRestarts);
        var after = harness.Video.Skip(before).ToList();
        Assert.NotEmpty(after);
        Assert.Contains(harness.Logger.Lines, l => l.Contains("exited unexpectedly", StringComparison.Ordinal));
        var firstAfterRestart = after.First(f => f.Pts90k > harness.Video[before - 1].Pts90k && f.IsKeyframe);
        Assert.All(after.SkipWhile(f => f != firstAfterRestart), f => Assert.True(AvccNalReader.TryInspect(f.Data.Span, out _)));
        Assert.True(harness.Video.Zip(harness.Video.Skip(1)).All(p => p.Second.Pts90k > p.First.Pts90k), "pts must keep increasing across the restart");
    }

    [Fact]
    public async Task LogsTheLastStderrLinesOfAFailingFfmpegAndKeepsRetrying()
    {
        var format = new MediaFormat(320, 240, 25);
        var options = new EncoderOptions { Preset = "nosuchpreset", RestartBackoff = TimeSpan.FromMilliseconds(100), VideoEncoder = VideoEncoderKind.FfmpegProcess };
        await using var harness = new EncoderHarness(output, format, options);
        await harness.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var timer = new PeriodicTimer(format.FrameDuration);
        while (harness.Encoder.Counters.VideoRestarts < 2 && await timer.WaitForNextTickAsync(timeout.Token)) harness.WriteOne();
        await harness.FinishAsync();

        Assert.True(harness.Encoder.Counters.VideoRestarts >= 2);
        Assert.Equal(0, harness.Encoder.Counters.AudioRestarts);
        Assert.Empty(harness.Video);
        Assert.NotEmpty(harness.Audio); // the audio process does not wait on the broken video one
        Assert.Contains(harness.Logger.Lines, l => l.Contains("exited unexpectedly", StringComparison.Ordinal) && l.Contains("nosuchpreset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheInProcessEncoderRefusesAnUnknownPresetAtStart()
    {
        var format = new MediaFormat(320, 240, 25);
        await using var harness = new EncoderHarness(output, format, new EncoderOptions { Preset = "nosuchpreset" });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(harness.StartAsync);
        Assert.Contains("nosuchpreset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyframeRequestIsAnsweredWithAnIdrOnTheNextFrameAndRequestsInsideTheGapAreCoalesced()
    {
        var format = new MediaFormat(320, 240, 25);
        var options = new EncoderOptions { VideoQueueCapacity = 32, MinForcedKeyframeInterval = TimeSpan.FromMilliseconds(500) };
        await using var harness = new EncoderHarness(output, format, options);
        await harness.StartAsync();
        await harness.WriteRealTimeAsync(15);
        // Subscribing asks for a keyframe too (frame 0 answers it); count from here.
        var requestsBefore = harness.Encoder.Counters.KeyframeRequests;
        var forcedBefore = harness.Encoder.Counters.KeyframesForced;
        var firstRequestAt = harness.NextFrameIndex;
        harness.Encoder.RequestKeyframe();
        await harness.WriteRealTimeAsync(5);
        for (var i = 0; i < 3; i++) harness.Encoder.RequestKeyframe(); // a burst of PLIs from several viewers
        await harness.WriteRealTimeAsync(20);
        await harness.FinishAsync();

        var idrs = harness.Video.Where(f => f.IsKeyframe).Select(f => f.Pts90k / 3600).ToArray();
        var counters = harness.Encoder.Counters;
        output.WriteLine($"IDR frames {string.Join(", ", idrs)}; first request before frame {firstRequestAt}; requests {counters.KeyframeRequests}, forced {counters.KeyframesForced}");
        Assert.Equal(40, harness.Video.Count);
        Assert.Equal(3, idrs.Length);
        Assert.Equal(0, idrs[0]);
        // The next frame the encoder took after the request (some may have been queued already) is the IDR.
        Assert.InRange(idrs[1], firstRequestAt - options.VideoQueueCapacity, firstRequestAt);
        Assert.Equal(idrs[1] + 13, idrs[2]); // 500 ms at 25 fps, rounded up: the burst waited for the gap, then cost one IDR
        Assert.Equal(4, counters.KeyframeRequests - requestsBefore);
        Assert.Equal(2, counters.KeyframesForced - forcedBefore);
    }

    [Theory]
    [InlineData(VideoEncoderKind.Libx264)]
    [InlineData(VideoEncoderKind.FfmpegProcess)]
    public async Task DisposeFlushesEveryQueuedFrame(VideoEncoderKind kind)
    {
        var format = new MediaFormat(320, 240, 30);
        await using var harness = new EncoderHarness(output, format, new EncoderOptions { VideoQueueCapacity = 16, VideoEncoder = kind });
        await harness.StartAsync();
        for (var i = 0; i < 16; i++) Assert.True(harness.WriteOne());
        await harness.FinishAsync();
        Assert.Equal(16, harness.Video.Count);
        Assert.Equal(15 * 3000L, harness.Video[^1].Pts90k);
    }

    private static async Task<short[]> DecodeAsync(IReadOnlyList<EncodedFrame> audio)
    {
        var path = Path.Combine(Path.GetTempPath(), $"livehost-aac-{Guid.NewGuid():N}.aac");
        try
        {
            await using (var file = File.Create(path))
            {
                var header = new byte[7];
                foreach (var frame in audio)
                {
                    AdtsHeader.WriteTo(header, 2, 3, 1, frame.Data.Length);
                    await file.WriteAsync(header);
                    await file.WriteAsync(frame.Data);
                }
            }
            var (exitCode, pcm, stderr) = await ExternalTool.RunAsync("ffmpeg",
                ["-hide_banner", "-loglevel", "error", "-i", path, "-f", "s16le", "-ac", "1", "-ar", "48000", "-"], TimeSpan.FromSeconds(20));
            Assert.True(exitCode == 0, stderr);
            var samples = new short[pcm.Length / 2];
            for (var i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 2));
            return samples;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double ZeroCrossingFrequency(ReadOnlySpan<short> samples)
    {
        var crossings = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            if ((samples[i - 1] < 0) != (samples[i] < 0)) crossings++;
        }
        return crossings / 2.0 / (samples.Length / (double)MediaFormat.AudioSampleRate);
    }
}
