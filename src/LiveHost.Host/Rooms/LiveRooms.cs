using LiveHost.Engine.Rooms;

namespace LiveHost.Host.Rooms;

/// <summary>
/// The rooms of this process; starts them with the host and stops them with it. Encoders and outputs start with the
/// other services; the rooms' clocks start only once every service has started, the server included
/// (<see cref="IHostedLifecycleService.StartedAsync"/>), so the hub already takes connections when a line replayed from
/// before a restart starts speaking: a client that connects at once sees it as the state's <c>current</c> line (from
/// <c>Subscribe</c>/<c>GetState</c>) and receives its later events.
/// </summary>
public sealed class LiveRooms(IReadOnlyList<LiveRoom> configured, RoomRegistry registry) : IHostedLifecycleService
{
    private readonly Lock _gate = new();
    private LiveRoom[] _rooms = [.. configured];

    /// <summary>Every room now (a snapshot: rooms may be added and removed at run time, see <see cref="RoomAdmin"/>).</summary>
    public IReadOnlyList<LiveRoom> All => Volatile.Read(ref _rooms);
    public RoomRegistry Registry => registry;

    /// <summary>Adds a room made at run time (already started); commands reach it from now on.</summary>
    public void Add(LiveRoom room)
    {
        lock (_gate)
        {
            registry.Add(room.Controller);
            _rooms = [.. _rooms, room];
        }
    }

    /// <summary>Takes a room out (commands get unknownRoom from now on); the caller stops it.</summary>
    public LiveRoom? Remove(string name)
    {
        lock (_gate)
        {
            var room = _rooms.FirstOrDefault(r => r.Name == name);
            if (room is null) return null;
            registry.Remove(name);
            _rooms = [.. _rooms.Where(r => r != room)];
            return room;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var room in All) await room.StartAsync(cancellationToken);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var room in All) room.StartTicking();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var room in All) await room.DisposeAsync();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
