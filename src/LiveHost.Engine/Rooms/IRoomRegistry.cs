using System.Diagnostics.CodeAnalysis;

namespace LiveHost.Engine.Rooms;

public interface IRoomRegistry
{
    IReadOnlyCollection<string> RoomNames { get; }

    bool TryGetRoom(string name, [NotNullWhen(true)] out IRoomController? room);
}
