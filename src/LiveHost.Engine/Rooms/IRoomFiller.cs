using LiveHost.Engine.Lines;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// What a room plays when it would otherwise be silent (a looping script). The engine asks on its tick, only when
/// nothing speaks, nothing is queued and the room is not paused: answers must come from memory, never the disk.
/// </summary>
public interface IRoomFiller
{
    /// <summary>The next filler line, or false for silence now (no filler, or a pause between filler lines).</summary>
    bool TryNext(DateTimeOffset now, out Line line);

    /// <summary>Adds what the filler shows to the room's state (its script, the product on screen).</summary>
    RoomState Annotate(RoomState state);
}
