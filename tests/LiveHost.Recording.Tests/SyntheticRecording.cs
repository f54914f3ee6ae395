using LiveHost.Media;
using LiveHost.TestSupport;

namespace LiveHost.Recording.Tests;

/// <summary>Real H.264 + AAC (<see cref="SyntheticStream"/>, made once per test class) published into a broadcaster frame by frame.</summary>
public sealed class SyntheticRecording : IAsyncLifetime
{
    public SyntheticStream Stream { get; private set; } = null!;

    public async Task InitializeAsync() => Stream = await SyntheticStream.CreateAsync(seconds: 4);

    public Task DisposeAsync() => Task.CompletedTask;

    public MediaBroadcaster NewBroadcaster()
    {
        var broadcaster = new MediaBroadcaster(Stream.Format);
        broadcaster.SetVideoConfig(Stream.VideoConfig);
        broadcaster.SetAudioConfig(Stream.AudioConfig);
        return broadcaster;
    }

    /// <summary>Publishes <paramref name="loops"/> passes of the clip, timestamps increasing across passes, as fast as the queue takes them.</summary>
    public void Publish(MediaBroadcaster broadcaster, int loops = 1, long offset90k = 0)
    {
        for (var loop = 0; loop < loops; loop++)
        {
            foreach (var sample in Stream.Samples)
            {
                broadcaster.Publish(new EncodedFrame(sample.Kind, offset90k + loop * Stream.LoopLength90k + sample.Pts90k, sample.IsKeyframe, sample.Data, 0));
            }
        }
    }
}
