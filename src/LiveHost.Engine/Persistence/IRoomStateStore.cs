namespace LiveHost.Engine.Persistence;

/// <summary>What producers set on a room that must outlive a restart (today: paused), one record per room.</summary>
public sealed record StoredRoomState(bool Paused);

/// <summary>
/// Durable room state, kept apart from lines so later state (volume, avatar...) grows here without touching
/// <see cref="ILineStore"/>. Read at start; written through the <see cref="StorageJournal"/>, never on the tick.
/// </summary>
public interface IRoomStateStore
{
    /// <summary>The room's stored state, or null when none was ever saved.</summary>
    StoredRoomState? LoadRoomState(string room);

    void SaveRoomState(string room, StoredRoomState state);
}
