using LiveHost.Media;

namespace LiveHost.Media.Tests;

/// <summary>The broadcaster's subscriptions: each has its own bounded queue, takes only its codecs, and keeps its video decodable.</summary>
public sealed class MediaBroadcasterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly MediaBroadcaster _broadcaster = new(new MediaFormat(320, 240, 25));
    private int _keyframeRequests;

    public MediaBroadcasterTests() => _broadcaster.KeyframeRequested += () => Interlocked.Increment(ref _keyframeRequests);

    private static EncodedFrame Video(long frame, bool keyframe) => new(MediaKind.Video, frame * 3600, keyframe, new byte[] { (byte)frame }, 0);

    private static EncodedFrame Aac(long frame) => new(MediaKind.Audio, frame * 1920, true, new byte[] { 1 }, 0);

    private static EncodedFrame Opus(long frame) => new(MediaCodec.Opus, frame * 1800, true, new byte[] { 2 }, 0);

    private static List<EncodedFrame> Drain(MediaSubscription subscription)
    {
        var frames = new List<EncodedFrame>();
        while (subscription.TryRead(out var frame)) frames.Add(frame!);
        return frames;
    }

    [Fact]
    public void A_subscriber_that_falls_behind_loses_its_oldest_frames_and_counts_them_while_another_loses_none()
    {
        using var slow = _broadcaster.Subscribe("slow", capacity: 4, MediaCodec.Aac);
        using var roomy = _broadcaster.Subscribe("roomy", capacity: 64, MediaCodec.Aac);

        for (var i = 0; i < 10; i++) _broadcaster.Publish(Aac(i));

        Assert.Equal([6L * 1920, 7L * 1920, 8L * 1920, 9L * 1920], Drain(slow).Select(f => f.Pts90k));
        Assert.Equal(6, slow.DroppedFrames);
        Assert.Equal(10, Drain(roomy).Count);
        Assert.Equal(0, roomy.DroppedFrames);
    }

    [Fact]
    public void Video_starts_at_a_keyframe_and_audio_before_it_is_kept()
    {
        using var subscription = _broadcaster.Subscribe("late");

        _broadcaster.Publish(Video(0, keyframe: false));
        _broadcaster.Publish(Aac(0));
        _broadcaster.Publish(Video(1, keyframe: true));
        _broadcaster.Publish(Video(2, keyframe: false));

        Assert.Equal([(MediaCodec.Aac, 0L), (MediaCodec.H264, 3600L), (MediaCodec.H264, 7200L)], Drain(subscription).Select(f => (f.Codec, f.Pts90k)));
    }

    [Fact]
    public void After_dropped_video_the_subscriber_skips_to_the_next_keyframe_and_asks_for_one_once()
    {
        using var subscription = _broadcaster.Subscribe("behind", capacity: 4, MediaCodec.H264);
        var requestsAtSubscribe = _keyframeRequests;
        _broadcaster.Publish(Video(0, keyframe: true));
        Assert.Equal(0L, Drain(subscription).Single().Pts90k);

        // Six deltas into a queue of four: two are dropped, and what is left cannot be decoded without them.
        for (var i = 1; i <= 6; i++) _broadcaster.Publish(Video(i, keyframe: false));
        Assert.Equal(2, subscription.DroppedFrames);
        Assert.Equal(requestsAtSubscribe + 1, _keyframeRequests);
        Assert.Empty(Drain(subscription));

        _broadcaster.Publish(Video(7, keyframe: true));
        _broadcaster.Publish(Video(8, keyframe: false));
        Assert.Equal([7L * 3600, 8L * 3600], Drain(subscription).Select(f => f.Pts90k));
    }

    [Fact]
    public void A_subscriber_that_takes_video_asks_for_a_keyframe_and_one_that_takes_only_audio_does_not()
    {
        using (_broadcaster.Subscribe("rtmp")) Assert.Equal(1, _keyframeRequests);
        using (_broadcaster.Subscribe("webrtc-audio", codecs: MediaCodec.Opus)) Assert.Equal(1, _keyframeRequests);
        using (_broadcaster.Subscribe("webrtc-video", codecs: MediaCodec.H264)) Assert.Equal(2, _keyframeRequests);
    }

    [Fact]
    public void Each_subscriber_gets_only_the_codecs_it_names()
    {
        using var rtmp = _broadcaster.Subscribe("rtmp");
        using var webRtc = _broadcaster.Subscribe("webrtc", codecs: MediaCodec.H264 | MediaCodec.Opus);

        _broadcaster.Publish(Video(0, keyframe: true));
        _broadcaster.Publish(Aac(0));
        _broadcaster.Publish(Opus(0));

        Assert.Equal([MediaCodec.H264, MediaCodec.Aac], Drain(rtmp).Select(f => f.Codec));
        Assert.Equal([MediaCodec.H264, MediaCodec.Opus], Drain(webRtc).Select(f => f.Codec));
        Assert.Equal(MediaKind.Audio, Opus(0).Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Subscribing_to_no_codec_or_an_unknown_one_is_refused(int codecs)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _broadcaster.Subscribe("bad", codecs: (MediaCodec)codecs));
        Assert.Equal("codecs", error.ParamName);
        Assert.Equal(0, _broadcaster.SubscriberCount);
    }

    [Fact]
    public async Task A_reader_waiting_for_a_frame_wakes_when_one_is_published_and_a_disposed_subscription_gets_no_more()
    {
        var subscription = _broadcaster.Subscribe("reader", codecs: MediaCodec.Opus);
        var read = subscription.ReadAsync(CancellationToken.None).AsTask();
        Assert.False(read.IsCompleted);

        _broadcaster.Publish(Opus(5));
        Assert.Equal(5L * 1800, (await read.WaitAsync(Patience)).Pts90k);

        subscription.Dispose();
        _broadcaster.Publish(Opus(6));
        Assert.Equal(0, _broadcaster.SubscriberCount);
        Assert.False(subscription.TryRead(out _));
    }
}
