using LiveHost.Host.Rooms;
using LiveHost.Media;
using LiveHost.WebRtc.Rooms;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// Characterization of a room's WebRTC timing, taken from the real host (room main, its real encoder): the RTP timestamps
/// in the room's rings against the frame timestamps the encoder publishes, the Opus packet rate, and the A/V offset in
/// the packets and in the sender-report times. They pin what the media-bus refactor (issue 14) must keep.
/// </summary>
public sealed class RoomStreamTimingTests(RoomStreamTimingTests.Capture capture) : IClassFixture<RoomStreamTimingTests.Capture>
{
    private const int VideoTicksPerFrame = MediaFormat.Clock90k / 25; // room main runs at 25 fps
    private const int OpusFrameSamples = 960;

    [Fact]
    public void Every_video_rtp_timestamp_is_a_published_frame_timestamp_plus_the_stream_base()
    {
        // The test's subscription starts at a keyframe: compare from its first frame on.
        var published = capture.PublishedVideoPts.Select(p => unchecked((uint)p)).ToHashSet();
        var first = unchecked((uint)capture.PublishedVideoPts[0]);
        var ring = capture.VideoTimestamps.Select(t => unchecked(t - capture.VideoBase)).Distinct()
            .Where(t => unchecked((int)(t - first)) >= 0).ToArray();

        Assert.True(ring.Length >= 25, $"only {ring.Length} video pictures captured");
        Assert.All(ring, t => Assert.Contains(t, published));
    }

    [Fact]
    public void Video_rtp_timestamps_advance_by_whole_frames_of_the_90_khz_clock()
    {
        var distinct = capture.VideoTimestamps.Distinct().ToArray();
        var steps = distinct.Zip(distinct.Skip(1), (a, b) => unchecked((int)(b - a))).ToArray();

        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.True(s > 0 && s % VideoTicksPerFrame == 0, $"video step of {s} ticks"));
    }

    [Fact]
    public void Opus_packets_come_fifty_per_second_of_audio_each_960_samples_after_the_last_in_sequence()
    {
        var audio = capture.Audio;
        var steps = audio.Zip(audio.Skip(1), (a, b) => (Sequence: (ushort)(b.Sequence - a.Sequence), Samples: unchecked((int)(b.Timestamp - a.Timestamp)))).ToArray();
        var firstSecond = audio.Count(p => unchecked((int)(p.Timestamp - audio[0].Timestamp)) < MediaFormat.AudioSampleRate);

        Assert.All(steps, s => Assert.Equal((1, OpusFrameSamples), (s.Sequence, s.Samples)));
        Assert.Equal(50, firstSecond);
    }

    [Fact]
    public void A_video_frame_and_the_audio_of_its_tick_carry_the_same_media_time()
    {
        // Media time zero is the same instant on both tracks: frame f (pts f * 3600) and the Opus frame starting at sample
        // f * 1920 are one tick, so their RTP timestamps, less each stream's base, name the same instant.
        var audioTimes = capture.Audio.Select(p => (long)unchecked(p.Timestamp - capture.AudioBase)).ToHashSet();
        var (first, last) = (audioTimes.Min(), audioTimes.Max());
        var videoTimes = capture.VideoTimestamps.Select(t => (long)unchecked(t - capture.VideoBase)).Distinct()
            .Select(pts => pts * MediaFormat.AudioSampleRate / MediaFormat.Clock90k)
            .Where(samples => samples >= first && samples <= last).ToArray();

        Assert.True(videoTimes.Length >= 10, $"only {videoTimes.Length} video frames overlap the captured audio");
        Assert.All(videoTimes, samples => Assert.Contains(samples, audioTimes));
    }

    [Fact]
    public void Sender_report_times_name_the_same_media_instant_on_both_tracks()
    {
        Assert.NotEmpty(capture.Reports);
        Assert.All(capture.Reports, r =>
        {
            var video = unchecked(r.Video - capture.VideoBase) / (double)MediaFormat.Clock90k;
            var audio = unchecked(r.Audio - capture.AudioBase) / (double)MediaFormat.AudioSampleRate;
            Assert.True(Math.Abs(video - audio) <= 0.001, $"sender report: video at {video:F4} s, audio at {audio:F4} s of media time");
        });
    }

    [Fact]
    public void A_sender_report_taken_as_audio_arrives_is_at_most_one_opus_frame_and_the_audio_lead_behind_it_and_under_a_second_ahead()
    {
        // The engine places audio Engine:AudioLeadMilliseconds ahead of its time (issue 17); the report names "now" as
        // it is, so the newest packet is up to that much in its future.
        var lead = capture.AudioLeadTicks * MediaFormat.AudioSampleRate / 25;
        Assert.NotEmpty(capture.Reports);
        Assert.All(capture.Reports, r =>
        {
            var ahead = unchecked((int)(r.Audio - r.NewestAudio));
            Assert.True(ahead >= -OpusFrameSamples - lead && ahead < MediaFormat.AudioSampleRate,
                $"sender report {ahead} samples from the newest audio packet (audio lead {lead} samples)");
        });
    }

    public readonly record struct RtpPacketInfo(ushort Sequence, uint Timestamp, bool Marker);

    public readonly record struct ReportSample(uint Video, uint Audio, uint NewestAudio);

    /// <summary>
    /// Starts the host once and records, as the room's rings fill: 80 Opus packets and 40 video pictures as RTP, the
    /// sender-report times each time audio arrived, and the video frame timestamps the encoder published meanwhile.
    /// </summary>
    public sealed class Capture : IAsyncLifetime
    {
        private readonly WatchServer _server = new();

        public List<RtpPacketInfo> Audio { get; } = [];
        public List<uint> VideoTimestamps { get; } = [];
        public List<ReportSample> Reports { get; } = [];
        public List<long> PublishedVideoPts { get; } = [];
        public uint VideoBase { get; private set; }
        public uint AudioBase { get; private set; }
        public int AudioLeadTicks { get; private set; }

        public async Task InitializeAsync()
        {
            // The timestamp arithmetic alone: a stall of the loaded machine would make audio late, and dropping it
            // (WebRtc:DropAudioLateMilliseconds, LateAudioFilterTests) is a gap in the Opus timestamps by design.
            _server.Settings["WebRtc:DropAudioLateMilliseconds"] = "0";
            await _server.InitializeAsync();
            var room = _server.Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
            var stream = room.WebRtc!;
            VideoBase = stream.VideoTimestampBase;
            AudioBase = stream.AudioTimestampBase;
            AudioLeadTicks = room.Engine.AudioLeadTicks();

            using var subscription = room.Encoder.Output.Subscribe("timing-test", capacity: 4096);
            var tap = new RingTap();
            long videoNext = stream.Video.Head, audioNext = stream.Audio.Head;
            stream.AddViewer(tap);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var buffer = new byte[stream.Video.SlotSize];
                while (Audio.Count < 80 || VideoTimestamps.Distinct().Count() < 40)
                {
                    await tap.Wake.Reader.ReadAsync(timeout.Token);
                    videoNext = RingTap.Drain(stream.Video, videoNext, buffer, p => VideoTimestamps.Add(p.Timestamp));
                    var audioBefore = Audio.Count;
                    audioNext = RingTap.Drain(stream.Audio, audioNext, buffer, Audio.Add);
                    if (Audio.Count > audioBefore)
                    {
                        var (video, audio) = stream.RtpTimestampsNow();
                        Reports.Add(new ReportSample(video, audio, Audio[^1].Timestamp));
                    }
                }
            }
            finally
            {
                stream.RemoveViewer(tap);
            }
            while (subscription.TryRead(out var frame))
            {
                if (frame!.Kind == MediaKind.Video) PublishedVideoPts.Add(frame.Pts90k);
            }
        }

        public Task DisposeAsync() => _server.DisposeAsync();
    }
}
