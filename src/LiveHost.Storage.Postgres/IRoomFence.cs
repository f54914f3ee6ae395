namespace LiveHost.Storage.Postgres;

/// <summary>
/// The fencing tokens this process holds for the rooms it runs (issue 15, several nodes; the host's cluster part
/// implements it from its Redis leases). Given to the PostgreSQL stores, it makes every write for a room carry the
/// token: the store refuses a write whose token is not the room's newest (<see cref="PostgresRoomFences"/>). Without it
/// (a single machine) writes are not fenced.
/// </summary>
public interface IRoomFence
{
    /// <summary>The token this process holds for <paramref name="room"/>; null when it holds none (its writes are then refused).</summary>
    long? TokenOf(string room);

    /// <summary>A write for <paramref name="room"/> was refused: another node's token is newer. Never throws; the room is stopped.</summary>
    void Refused(string room);
}
