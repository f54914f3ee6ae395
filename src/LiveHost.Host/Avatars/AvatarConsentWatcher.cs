using LiveHost.Avatars.Packages;
using LiveHost.Host.Rooms;

namespace LiveHost.Host.Avatars;

/// <summary>
/// Keeps every live likeness under its consent: a <see cref="ConsentMonitor"/> re-checks each loaded package every
/// <see cref="AvatarHostOptions.ConsentRecheckInterval"/> (1 s), and when one is revoked, expires or otherwise stops
/// being valid, every room showing it is stopped (engine, encoder, outputs), with the reason kept on the room for
/// /healthz. With a 1 s re-check and a stop that takes well under a second, frames stop within 5 s of the change.
/// </summary>
public sealed class AvatarConsentWatcher : IHostedService, IAsyncDisposable
{
    private readonly AvatarFactory _avatars;
    private readonly LiveRooms _rooms;
    private readonly ConsentMonitor _monitor;
    private readonly ILogger<AvatarConsentWatcher> _logger;
    private readonly List<Task> _stops = [];
    private readonly Lock _gate = new();
    private int _disposed;

    public AvatarConsentWatcher(AvatarFactory avatars, LiveRooms rooms, TimeProvider time, ILoggerFactory loggers)
    {
        _avatars = avatars;
        _rooms = rooms;
        _logger = loggers.CreateLogger<AvatarConsentWatcher>();
        _monitor = new ConsentMonitor(avatars.Consent, time, loggers.CreateLogger<ConsentMonitor>());
        _monitor.ConsentRevoked += OnConsentRevoked;
        _avatars.PackageLoaded += _monitor.Watch;
    }

    public ConsentMonitor Monitor => _monitor;

    /// <summary>Raised with the room's name and the reason once a room stopped for its consent has finished stopping.</summary>
    public event Action<string, string>? RoomStopped;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Rooms were built (and their packages loaded) when the room list was resolved, before any hosted service started.
        foreach (var package in _avatars.Packages) _monitor.Watch(package);
        _monitor.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] stops;
        lock (_gate) stops = [.. _stops];
        await Task.WhenAll(stops).WaitAsync(cancellationToken);
    }

    private void OnConsentRevoked(object? sender, ConsentRevokedEventArgs e)
    {
        // Presenters prepared for a switch but not shown yet are dropped: nothing of them reaches a frame.
        foreach (var room in _rooms.All) room.Presenter.DiscardUnder(e.Consent);
        foreach (var name in _avatars.RoomsShowing(e.Consent))
        {
            var room = _rooms.All.FirstOrDefault(r => r.Name == name);
            if (room is null) continue;
            var reason = $"avatar package '{string.Join("', '", e.PackageIds)}' may no longer be shown ({e.Status}): {e.Reason}";
            _logger.LogWarning("Stopping room {Room}: {Reason}", name, reason);
            lock (_gate) _stops.Add(StopAsync(room, reason));
        }
    }

    private async Task StopAsync(LiveRoom room, string reason)
    {
        try
        {
            await room.StopAsync(reason);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "Room {Room} did not stop cleanly after its consent was withdrawn", room.Name);
        }
        RoomStopped?.Invoke(room.Name, reason);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as a hosted service, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _avatars.PackageLoaded -= _monitor.Watch;
        await _monitor.DisposeAsync();
    }
}
