using LiveHost.Engine.Rooms;

namespace LiveHost.Host.Rooms;

/// <summary>
/// The rooms of this process; starts them with the host and stops them with it. Encoders and outputs start with the
/// other services; the rooms' clocks start only once every service has started, the server included
/// (<see cref="IHostedLifecycleService.StartedAsync"/>), so the hub already takes connections when a line replayed from
/// before a restart starts speaking: a client that connects at once sees it as the state's <c>current</c> line (from
/// <c>Subscribe</c>/<c>GetState</c>) and receives its later events.
/// </summary>
public sealed class LiveRooms(IReadOnlyList<LiveRoom> rooms, RoomRegistry registry) : IHostedLifecycleService
{
    public IReadOnlyList<LiveRoom> All => rooms;
    public RoomRegistry Registry => registry;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var room in rooms) await room.StartAsync(cancellationToken);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var room in rooms) room.StartTicking();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var room in rooms) await room.DisposeAsync();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
