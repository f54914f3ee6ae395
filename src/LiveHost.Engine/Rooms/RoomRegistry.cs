using System.Diagnostics.CodeAnalysis;

namespace LiveHost.Engine.Rooms;

/// <summary>The rooms this process runs, by name (case-sensitive, as configured or created at run time). Thread-safe.</summary>
public sealed class RoomRegistry : IRoomRegistry
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IRoomController> _rooms = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> RoomNames => [.. _rooms.Keys];

    public void Add(IRoomController room)
    {
        if (!_rooms.TryAdd(room.Name, room)) throw new ArgumentException($"room '{room.Name}' is already registered", nameof(room));
    }

    /// <summary>Takes a room removed at run time out (commands to it get unknownRoom from now on).</summary>
    public bool Remove(string name) => _rooms.TryRemove(name, out _);

    public bool TryGetRoom(string name, [NotNullWhen(true)] out IRoomController? room) => _rooms.TryGetValue(name, out room);
}
