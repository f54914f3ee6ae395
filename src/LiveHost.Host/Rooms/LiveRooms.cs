using LiveHost.Engine.Rooms;

namespace LiveHost.Host.Rooms;

/// <summary>The rooms of this process; starts them with the host and stops them with it.</summary>
public sealed class LiveRooms(IReadOnlyList<LiveRoom> rooms, RoomRegistry registry) : IHostedService
{
    public IReadOnlyList<LiveRoom> All => rooms;
    public RoomRegistry Registry => registry;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var room in rooms) await room.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var room in rooms) await room.DisposeAsync();
    }
}
