using System.Collections.Concurrent;
using LiveHost.Avatars;
using LiveHost.Engine.Options;
using LiveHost.Host.Avatars;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>The host's real <see cref="AvatarFactory"/>, with every avatar it makes wrapped in a <see cref="RecordingAvatar"/>.</summary>
public sealed class RecordingAvatarFactory(AvatarFactory real) : IAvatarFactory
{
    private readonly ConcurrentDictionary<string, RecordingAvatar> _rooms = new(StringComparer.Ordinal);

    public RecordingAvatar Room(string room) => _rooms[room];

    public IAvatar Create(string room, RoomOptions options)
    {
        var recorder = new RecordingAvatar(real.Create(room, options), options.Fps);
        _rooms[room] = recorder;
        return recorder;
    }

    // Switched-in presenters (SetPresenter) go through the real factory's two steps, so the consent watcher knows what shows.
    public PreparedAvatar Prepare(string room, RoomOptions options) => real.Prepare(room, options);

    public void MarkShowing(string room, PreparedAvatar made) => real.MarkShowing(room, made);
}
