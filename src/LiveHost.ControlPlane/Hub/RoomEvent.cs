using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>One room event waiting to be sent to the room's SignalR group.</summary>
public sealed class RoomEvent
{
    private RoomEvent(string name, string room, object payload)
    {
        Name = name;
        Room = room;
        Payload = payload;
    }

    /// <summary>The client-side event name (<see cref="ControlHubEvents"/>).</summary>
    public string Name { get; }

    public string Room { get; }

    /// <summary>A <see cref="Line"/>, a <see cref="RoomState"/> or a <see cref="QueueChange"/>.</summary>
    public object Payload { get; }

    public bool IsState => ReferenceEquals(Name, ControlHubEvents.StateChanged);

    /// <summary>Set (under the sink's lock) when a newer StateChanged pushed this one out; the pump then skips it.</summary>
    internal bool Dropped { get; set; }

    /// <summary>This state's place among the waiting states, so the pump can remove it in O(1).</summary>
    internal LinkedListNode<RoomEvent>? PendingNode { get; set; }

    public static RoomEvent ForLine(string name, Line line) => new(name, line.Room, line);

    public static RoomEvent ForQueue(QueueChange change) => new(ControlHubEvents.QueueChanged, change.Room, change);

    public static RoomEvent ForState(RoomState state) => new(ControlHubEvents.StateChanged, state.Room, state);
}
