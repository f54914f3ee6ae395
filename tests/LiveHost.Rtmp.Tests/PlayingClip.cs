using LiveHost.Media;
using LiveHost.TestSupport;

namespace LiveHost.Rtmp.Tests;

/// <summary>The synthetic clip played in real time into a fresh broadcaster, until disposed.</summary>
internal sealed class PlayingClip : IAsyncDisposable
{
    private readonly CancellationTokenSource _playing = new();
    private readonly Task _player;

    public PlayingClip(SyntheticStream stream)
    {
        Broadcaster = new MediaBroadcaster(stream.Format);
        _player = stream.PublishAsync(Broadcaster, _playing.Token);
    }

    public MediaBroadcaster Broadcaster { get; }

    public async ValueTask DisposeAsync()
    {
        await _playing.CancelAsync();
        await _player;
        _playing.Dispose();
    }
}
