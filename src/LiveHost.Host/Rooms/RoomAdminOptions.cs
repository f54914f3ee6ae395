namespace LiveHost.Host.Rooms;

/// <summary>
/// Section "RoomAdmin": how many rooms this machine runs at most, configured and made at run time together. Capacity is
/// this number, not a measurement: set it from perf/ (rooms per core at the rooms' size and rate).
/// </summary>
public sealed class RoomAdminOptions
{
    public const string SectionName = "RoomAdmin";

    /// <summary>At most this many rooms (default 8); a PUT for one more is refused with 507 <c>noCapacity</c>.</summary>
    public int MaxRooms { get; set; } = 8;
}
