namespace LiveHost.Cluster;

/// <summary>
/// What a node registers in Redis (key <c>node:{id}</c>, JSON, expiring after one lease period unless refreshed):
/// its id, public URL, how many more rooms it can take (<see cref="SpareRooms"/>, from the capacity monitor and
/// <c>Cluster:MaxRooms</c>), the rooms it runs and when it last wrote the record.
/// </summary>
public sealed record NodeRecord(string Id, string? PublicUrl, int SpareRooms, double? FreeCpuCores, IReadOnlyList<string> Rooms, DateTimeOffset HeartbeatAt);
