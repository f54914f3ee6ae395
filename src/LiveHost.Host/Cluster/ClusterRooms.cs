using LiveHost.Engine.Options;
using LiveHost.Engine.Show;
using LiveHost.Host.Avatars;
using LiveHost.Host.Rooms;
using LiveHost.WebRtc;

namespace LiveHost.Host.Cluster;

/// <summary>
/// Starting and stopping the rooms this node takes under a lease, with the same parts as rooms made at start or by an
/// admin: a room is built from its settings (its state read back from the shared store as it is built: queue, paused,
/// looping script), started (encoder, configured outputs), made reachable and its clock started; stopping ends its
/// media, takes it out, and forgets what the process kept for it (WebRTC stream, show, avatar), so it can come back.
/// </summary>
public sealed class ClusterRooms(LiveRooms live, IReadOnlyDictionary<string, RoomOptions> rooms, Func<string, RoomOptions, LiveRoom> build,
    WebRtcService? webRtc, ShowLibrary? show, AvatarFactory? avatars)
{
    private LiveRooms Live => live;

    public IReadOnlyCollection<string> Known => [.. rooms.Keys];

    public IReadOnlyList<string> Running => [.. Live.All.Select(r => r.Name)];

    public bool Knows(string room) => rooms.ContainsKey(room);

    public async Task StartAsync(string room, CancellationToken cancellationToken)
    {
        var made = build(room, rooms[room]);
        try
        {
            await made.StartAsync(cancellationToken);
        }
        catch
        {
            await made.DisposeAsync();
            await ForgetAsync(room);
            throw;
        }
        Live.Add(made);
        made.StartTicking();
    }

    /// <summary>Stops the room if it runs here; false when it did not.</summary>
    public async Task<bool> StopAsync(string room, string reason)
    {
        var live = Live.Remove(room);
        if (live is null) return false;
        await live.StopAsync(reason);
        await live.DisposeAsync();
        await ForgetAsync(room);
        return true;
    }

    private async Task ForgetAsync(string room)
    {
        if (webRtc is not null) await webRtc.RemoveRoomAsync(room);
        show?.RemoveRoom(room);
        avatars?.Forget(room);
    }
}
