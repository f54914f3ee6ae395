using System.Diagnostics.CodeAnalysis;

namespace LiveHost.Engine.Rooms;

/// <summary>The rooms this process runs, by name (case-sensitive, as configured).</summary>
public sealed class RoomRegistry : IRoomRegistry
{
    private readonly Dictionary<string, IRoomController> _rooms = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> RoomNames => _rooms.Keys;

    public void Add(IRoomController room) => _rooms.Add(room.Name, room);

    public bool TryGetRoom(string name, [NotNullWhen(true)] out IRoomController? room) => _rooms.TryGetValue(name, out room);
}
