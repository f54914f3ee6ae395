using System.Diagnostics;
using LiveHost.ControlPlane;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Host.Rooms;

namespace LiveHost.Host.Health;

/// <summary>
/// A room is healthy when its clock ticked within the last second and is not behind by more than a late tick, and the
/// storage its lines are written to takes writes (one store for all rooms: when it fails, every room says so).
/// </summary>
public sealed class EngineHealth(LiveRooms rooms, EngineOptions options, StorageJournal journal) : IEngineHealth
{
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(1);

    public IReadOnlyList<RoomHealth> Check()
    {
        var storage = journal.Status is { Failing: true } failing
            ? $"failing since {failing.Since:O}: {failing.Problem} ({failing.HeldWrites} writes held)"
            : null;
        return rooms.All.Select(room => Check(room) with { Storage = storage }).ToArray();
    }

    private RoomHealth Check(LiveRoom room)
    {
        if (room.StoppedReason is { } stopped) return new RoomHealth(room.Name, false, 0, "stopped: " + stopped, Stopped: true);
        var statistics = room.Engine.Statistics;
        var lastTick = statistics.LastTickTimestamp;
        if (lastTick == 0) return new RoomHealth(room.Name, false, 0, "the room has not started ticking");
        var sinceLastTick = Stopwatch.GetElapsedTime(lastTick);
        if (sinceLastTick > MaxSilence)
        {
            return new RoomHealth(room.Name, false, sinceLastTick.TotalMilliseconds, $"no frame for {sinceLastTick.TotalMilliseconds:F0} ms");
        }
        var lag = statistics.LagMilliseconds;
        return lag > options.LateTickMilliseconds
            ? new RoomHealth(room.Name, false, lag, $"{lag:F0} ms behind the clock")
            : new RoomHealth(room.Name, true, lag, null);
    }
}
