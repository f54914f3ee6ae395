using LiveHost.Host.Rooms;
using LiveHost.Media;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// Issue 17 on the wire: the real host, whose clock the test moves 600 ms ahead in one step, so room main's engine
/// skips the ticks it owes. What reaches the room's RTP rings has a gap of the same media time in both tracks, in whole
/// ticks, with no packet missing from the sequence: the stream stays on the wall clock instead of falling behind it.
/// </summary>
public sealed class SkippedTickWireTests : IAsyncLifetime
{
    private const int AudioTicksPerTick = MediaFormat.AudioSampleRate / 25; // room main runs at 25 fps
    private const int VideoTicksPerTick = MediaFormat.Clock90k / 25;
    private readonly JumpingClock _clock = new();
    private readonly WatchServer _server = new();

    public Task InitializeAsync()
    {
        _server.Services = services => services.AddSingleton<TimeProvider>(_clock);
        // The timelines alone: the jump makes the packets queued across it late, and dropping them
        // (WebRtc:DropAudioLateMilliseconds, LateAudioFilterTests) would widen the audio's gap by theirs.
        _server.Settings["WebRtc:DropAudioLateMilliseconds"] = "0";
        return _server.InitializeAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_skip_is_the_same_whole_tick_gap_in_the_audio_and_video_rtp_timestamps()
    {
        var room = _server.Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
        var stream = room.WebRtc!;
        var tap = new RingTap();
        var audio = new List<RoomStreamTimingTests.RtpPacketInfo>();
        var video = new List<RoomStreamTimingTests.RtpPacketInfo>();
        long videoNext = stream.Video.Head, audioNext = stream.Audio.Head;
        var skippedBefore = Interlocked.Read(ref room.Engine.Statistics.SkippedFrames);
        var droppedBefore = room.Encoder.Counters.VideoFramesDropped;
        stream.AddViewer(tap);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var buffer = new byte[stream.Video.SlotSize];
            var jumped = false;
            while (audio.Count < 150 || video.Select(v => v.Timestamp).Distinct().Count() < 60)
            {
                await tap.Wake.Reader.ReadAsync(timeout.Token);
                videoNext = RingTap.Drain(stream.Video, videoNext, buffer, video.Add);
                audioNext = RingTap.Drain(stream.Audio, audioNext, buffer, audio.Add);
                if (!jumped && audio.Count >= 50)
                {
                    _clock.Jump(TimeSpan.FromMilliseconds(600));
                    jumped = true;
                }
            }
        }
        finally
        {
            stream.RemoveViewer(tap);
        }
        var skipped = Interlocked.Read(ref room.Engine.Statistics.SkippedFrames) - skippedBefore;
        var dropped = room.Encoder.Counters.VideoFramesDropped - droppedBefore;

        // No packet is missing: sequence numbers run on by one in both tracks.
        Assert.All(audio.Zip(audio.Skip(1)), p => Assert.Equal(1, (ushort)(p.Second.Sequence - p.First.Sequence)));
        // Audio: 960 samples a packet, except across gaps, each a whole number of ticks.
        var audioGaps = audio.Zip(audio.Skip(1), (a, b) => unchecked((int)(b.Timestamp - a.Timestamp)) - 960).Where(g => g != 0).ToArray();
        Assert.All(audioGaps, g => Assert.True(g > 0 && g % AudioTicksPerTick == 0, $"audio gap of {g} samples"));
        // Video: one tick a picture, except across gaps, each a whole number of ticks.
        var pictures = video.Select(v => v.Timestamp).Distinct().ToArray();
        var videoGaps = pictures.Zip(pictures.Skip(1), (a, b) => unchecked((int)(b - a)) - VideoTicksPerTick).Where(g => g != 0).ToArray();
        Assert.All(videoGaps, g => Assert.True(g > 0 && g % VideoTicksPerTick == 0, $"video gap of {g} ticks of 90 kHz"));
        // The same media time is missing from both tracks (the video also lacks any picture its encoder dropped when it
        // fell behind, which it counts), and it is the jump's: 14 or 15 ticks, more if the machine made the engine skip
        // again meanwhile, which the engine counts.
        var audioGapTicks = audioGaps.Sum() / AudioTicksPerTick;
        var videoGapTicks = videoGaps.Sum() / VideoTicksPerTick;
        var detail = $"audio gaps {string.Join(", ", audioGaps)} samples, video gaps {string.Join(", ", videoGaps)}; engine skipped {skipped} ticks, encoder dropped {dropped} pictures";
        Assert.InRange(videoGapTicks - audioGapTicks, 0, dropped);
        Assert.True(audioGapTicks >= 14, detail);
        Assert.True(audioGapTicks <= skipped, detail);
    }

    /// <summary>The system clock, which the test can move ahead in one step (as a stalled process would see it).</summary>
    private sealed class JumpingClock : TimeProvider
    {
        private long _offsetTicks;

        public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override long TimestampFrequency => System.TimestampFrequency;

        public override long GetTimestamp() =>
            System.GetTimestamp() + Interlocked.Read(ref _offsetTicks) * System.TimestampFrequency / TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }
}
