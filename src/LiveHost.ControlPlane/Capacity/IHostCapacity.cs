namespace LiveHost.ControlPlane.Capacity;

/// <summary>What this server runs, what it costs, and how much more fits under its CPU target (<c>GET /api/capacity</c>).</summary>
public interface IHostCapacity
{
    /// <summary>The latest sample (rooms and viewers as of now; CPU figures from the last measured window).</summary>
    CapacityReport Current();
}

/// <summary>
/// The body of <c>GET /api/capacity</c>. CPU figures are in cores (1.0 = one core busy) over the last sampling window;
/// null before the first window has been measured. <see cref="MoreViewers"/> and each kind's <see cref="RoomKindCapacity.MoreRooms"/>
/// say how many more fit before the machine reaches <see cref="TargetCpuPercent"/>.
/// </summary>
public sealed record CapacityReport(
    DateTimeOffset? SampledAt,
    double WindowSeconds,
    int Cores,
    double TargetCpuPercent,
    double? MachineCpuCores,
    double? ProcessCpuCores,
    double? FreeCpuCores,
    int RoomsRunning,
    int Viewers,
    double? CpuCoresPerViewer,
    int? MoreViewers,
    IReadOnlyList<RoomKindCapacity> Kinds,
    IReadOnlyList<RoomCapacity> Rooms);

/// <summary>
/// One kind of room (<c>cartoon</c>, <c>realistic</c>, <c>lip-synced</c>): how many run, what one costs as measured
/// (null when none of the kind runs), and how many more of it would fit (null when its cost is unknown).
/// </summary>
public sealed record RoomKindCapacity(string Kind, int Running, double? CpuCoresPerRoom, int? MoreRooms);

/// <summary>One running room: its kind, viewers, and measured CPU (its own render threads, and its share of the rest).</summary>
public sealed record RoomCapacity(string Room, string Kind, int Viewers, double? CpuCores, double? RenderCpuCores);
