using LiveHost.Encoding.Tests.Fixtures;
using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.Tests;

/// <summary>
/// A room nobody watches (no viewer, output or recording) codes no video, and the first frame it codes when someone
/// comes is an IDR: with Debian's libx264.so.164 in process.
/// </summary>
public sealed class EncodeOnDemandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_nobody_subscribed_no_frame_is_coded_and_the_first_frame_after_a_join_is_an_idr()
    {
        var format = new MediaFormat(320, 240, 25);
        var pool = new FrameBufferPool(format.FrameBytes);
        // The gap between forced IDRs (500 ms, 13 frames) is longer than the pause below: the restart must not wait for it.
        var options = new EncoderOptions { StartTimeout = TimeSpan.FromMinutes(1), MinForcedKeyframeInterval = TimeSpan.FromMilliseconds(500), VideoQueueCapacity = 32 };
        await using var encoder = new RoomEncoder(format, options, new TestOutputLogger<RoomEncoder>(output, LogLevel.Debug), TimeProvider.System);
        // Sees every frame published (the WebRTC room stream subscribes so) without asking for any to be coded.
        using var observer = encoder.Output.Subscribe("observer", capacity: 1000, passive: true);
        await encoder.StartAsync(CancellationToken.None);
        long next = 0;
        void Write() => Assert.True(encoder.Write(SyntheticTestPattern.Tick(format, pool, next++, 440)));

        // Nobody: frames 0-4 are not coded (counted as idle, none queued); the engine's Write still succeeds.
        for (var i = 0; i < 5; i++) Write();
        Assert.Equal(5, encoder.Counters.VideoFramesIdle);
        Assert.Equal(0, encoder.Counters.VideoFramesQueued);

        // A viewer: frames 5-9 are coded, the first an IDR.
        var viewer = encoder.Output.Subscribe("viewer", capacity: 1000);
        for (var i = 0; i < 5; i++) Write();
        var watched = new List<EncodedFrame>();
        for (var i = 0; i < 5; i++) watched.Add(await NextVideoAsync(observer));
        Assert.Equal([5L, 6, 7, 8, 9], watched.Select(f => f.Pts90k / format.VideoPts90k(1)));
        Assert.Equal([true, false, false, false, false], watched.Select(f => f.IsKeyframe));

        // It leaves: frames 10-12 are not coded. Another comes within the 500 ms gap: frame 13, the next written, is an IDR.
        viewer.Dispose();
        for (var i = 0; i < 3; i++) Write();
        Assert.Equal(8, encoder.Counters.VideoFramesIdle);
        using var second = encoder.Output.Subscribe("second viewer", capacity: 1000);
        Write();
        var first = await NextVideoAsync(observer);

        Assert.Equal(13, first.Pts90k / format.VideoPts90k(1));
        Assert.True(first.IsKeyframe, "the first frame coded after the pause must be an IDR");
        Assert.Equal(6, encoder.Counters.VideoFramesQueued); // frames 5-9 and 13: nothing else was handed to x264
    }

    private static async Task<EncodedFrame> NextVideoAsync(MediaSubscription subscription)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            var frame = await subscription.ReadAsync(timeout.Token);
            if (frame.Kind == MediaKind.Video) return frame;
        }
    }
}
