namespace LiveHost.Cluster;

/// <summary>
/// What a node registers in Redis (key <c>node:{id}</c>, JSON, expiring after one lease period unless refreshed):
/// its id, public URL, how many more rooms it can take (<see cref="SpareRooms"/>, from the capacity monitor and
/// <c>Cluster:MaxRooms</c>), the rooms it runs, when it last wrote the record, and whether it takes rooms yet
/// (<see cref="TakesRooms"/> is false during its placement delay after a Redis reconnect: placement then gives it
/// nothing, so no room waits for a node that is not placing yet), and whether it is still in its start-up delay
/// (<see cref="Starting"/>: placement gives it rooms nobody held yet, but no room taken over from a dead node, which would
/// otherwise wait out the delay).
/// </summary>
public sealed record NodeRecord(string Id, string? PublicUrl, int SpareRooms, double? FreeCpuCores, IReadOnlyList<string> Rooms, DateTimeOffset HeartbeatAt,
    bool TakesRooms = true, bool Starting = false);
