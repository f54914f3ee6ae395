using LiveHost.Media;
using LiveHost.TestSupport;
using LiveHost.WebRtc.Rooms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// With WebRtc:PaceAudio and WebRtc:SendAudioWithVideo (both default) the room wakes its viewers twice a tick, not three times: the tick's first Opus packet waits
/// (at most <see cref="WebRtcRoomStream.AudioWaitForVideo"/>) for the tick's video frame and goes out in the same pass,
/// and the second still leaves 20 ms after the first really went. Driven on a fake clock with the real room stream,
/// real H.264 (<see cref="SyntheticStream"/>) and Opus-sized frames; each nudge records what the rings held.
/// </summary>
public sealed class AudioWithVideoNudgeTests
{
    private const long Tick90k = 3600;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_ticks_first_opus_packet_goes_out_with_its_video_frame_and_the_second_20_ms_after_it()
    {
        var synthetic = await SyntheticStream.CreateAsync(seconds: 2);
        var frames = synthetic.Samples.Where(s => s.Kind == MediaKind.Video).ToArray();
        await using var room = await RoomAsync(synthetic.VideoConfig);

        const int ticks = 12;
        for (var k = 0; k < ticks; k++)
        {
            var tickStart = room.Time.GetTimestamp();
            PublishAudio(room, k);
            await room.UntilAsync(() => room.Stream.AudioAwaitingVideo && room.Stream.Audio.Head == 2 * k + 1);
            room.Broadcaster.Publish(new EncodedFrame(MediaCodec.H264, k * Tick90k, frames[k].IsKeyframe, frames[k].Data, room.Time.GetTimestamp()));

            var carried = await room.NextNudgeAsync(advance: false);
            Assert.Equal(2 * k + 1, carried.AudioHead); // the frame's nudge carried the tick's first Opus packet
            Assert.True(carried.VideoHead > room.LastVideoHead, $"tick {k}: the nudge carried no video");
            room.LastVideoHead = carried.VideoHead;

            var second = await room.NextNudgeAsync(advance: true);
            Assert.Equal(2 * k + 2, second.AudioHead);
            Assert.InRange(room.Time.GetElapsedTime(tickStart, second.At).TotalMilliseconds, 19, 22);

            room.Time.Advance(TimeSpan.FromMilliseconds(40) - room.Time.GetElapsedTime(tickStart));
        }
        Assert.Equal(2 * ticks, room.Nudges.Count);
    }

    [Fact]
    public async Task Without_a_video_frame_the_first_opus_packet_goes_alone_after_the_wait_and_the_second_20_ms_later()
    {
        var synthetic = await SyntheticStream.CreateAsync(seconds: 1);
        await using var room = await RoomAsync(synthetic.VideoConfig);

        for (var k = 0; k < 5; k++)
        {
            var tickStart = room.Time.GetTimestamp();
            PublishAudio(room, k);
            await room.UntilAsync(() => room.Stream.AudioAwaitingVideo && room.Stream.Audio.Head == 2 * k + 1);

            var first = await room.NextNudgeAsync(advance: true);
            Assert.Equal(2 * k + 1, first.AudioHead);
            Assert.InRange(room.Time.GetElapsedTime(tickStart, first.At).TotalMilliseconds,
                WebRtcRoomStream.AudioWaitForVideo.TotalMilliseconds, WebRtcRoomStream.AudioWaitForVideo.TotalMilliseconds + 2);

            var second = await room.NextNudgeAsync(advance: true);
            Assert.Equal(2 * k + 2, second.AudioHead);
            Assert.InRange(room.Time.GetElapsedTime(first.At, second.At).TotalMilliseconds, 19, 22);

            var spent = room.Time.GetElapsedTime(tickStart);
            if (spent < TimeSpan.FromMilliseconds(40)) room.Time.Advance(TimeSpan.FromMilliseconds(40) - spent);
        }
    }

    private static void PublishAudio(TestRoom room, int tick)
    {
        // A tick's 40 ms of audio is placed at once: two 20 ms Opus frames, published together as the encoder does.
        var opus = new byte[120];
        room.Broadcaster.Publish(new EncodedFrame(MediaCodec.Opus, tick * Tick90k, false, opus, room.Time.GetTimestamp()));
        room.Broadcaster.Publish(new EncodedFrame(MediaCodec.Opus, tick * Tick90k + Tick90k / 2, false, opus, room.Time.GetTimestamp()));
    }

    private static async Task<TestRoom> RoomAsync(H264Config config)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var broadcaster = new MediaBroadcaster(new MediaFormat(SyntheticStream.Width, SyntheticStream.Height, SyntheticStream.FramesPerSecond));
        broadcaster.SetVideoConfig(config);
        var stream = new WebRtcRoomStream("nudges", broadcaster, () => { }, new WebRtcOptions { PaceAudio = true, SendAudioWithVideo = true }, NullLogger.Instance, time);
        var room = new TestRoom(stream, broadcaster, time);
        stream.AddViewer(room);
        stream.Start();
        await room.UntilAsync(() => broadcaster.SubscriberCount == 2);
        return room;
    }

    private sealed record Nudge(long VideoHead, long AudioHead, long At);

    private sealed class TestRoom(WebRtcRoomStream stream, MediaBroadcaster broadcaster, FakeTimeProvider time) : IRoomViewer, IAsyncDisposable
    {
        private readonly SemaphoreSlim _nudged = new(0);

        public WebRtcRoomStream Stream => stream;
        public MediaBroadcaster Broadcaster => broadcaster;
        public FakeTimeProvider Time => time;
        public List<Nudge> Nudges { get; } = [];
        public long LastVideoHead { get; set; }

        public void PacketsAvailable()
        {
            lock (Nudges) Nudges.Add(new Nudge(stream.Video.Head, stream.Audio.Head, time.GetTimestamp()));
            _nudged.Release();
        }

        /// <summary>The next nudge; with <paramref name="advance"/> the fake clock moves 1 ms at a time until it comes
        /// (a loop's timer may be registered a moment after the packet it waits on is visible).</summary>
        public async Task<Nudge> NextNudgeAsync(bool advance)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (!await _nudged.WaitAsync(advance ? TimeSpan.FromMilliseconds(20) : Timeout))
            {
                Assert.True(advance && DateTime.UtcNow < deadline, "no nudge came");
                time.Advance(TimeSpan.FromMilliseconds(1));
            }
            lock (Nudges) return Nudges[^1];
        }

        /// <summary>Waits for a state the loops reach on their own (no clock involved), yielding between looks.</summary>
        public async Task UntilAsync(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, "the room stream never got there");
                await Task.Yield();
            }
        }

        public async ValueTask DisposeAsync()
        {
            stream.RemoveViewer(this);
            await stream.DisposeAsync();
            _nudged.Dispose();
        }
    }
}
