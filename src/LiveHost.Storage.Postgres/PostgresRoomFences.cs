using LiveHost.Engine.Persistence;
using Npgsql;

namespace LiveHost.Storage.Postgres;

/// <summary>
/// Fencing tokens in the shared store (table <c>room_fences</c>, migration <see cref="Migration"/>): one row per room with
/// the newest lease token any node took for it. A node taking a room advances the row (<see cref="Advance"/>) before it
/// reads the room's state; every later write for the room reads the row <c>FOR SHARE</c> in the write's own transaction
/// and is refused unless the row holds the writer's token (<see cref="Check"/>). So a write from a stale owner either
/// commits before the takeover's update (and the new owner, which reads after it, sees it) or is refused: the row lock
/// orders the two, and no stale write lands on a room another node already resumed.
/// </summary>
public static class PostgresRoomFences
{
    /// <summary>The migration that adds the table (kept in its own step so renumbering at a merge is one line).</summary>
    public const string Migration = """
        CREATE TABLE room_fences (
            room text PRIMARY KEY,
            token bigint NOT NULL,
            node text NOT NULL,
            fenced_at timestamptz NOT NULL DEFAULT now());
        """;

    public const string MigrationDescription = "room_fences: each room's newest lease token, checked on every write for the room (issue 15 point 2)";

    /// <summary>
    /// Records that <paramref name="node"/> took <paramref name="room"/> with <paramref name="token"/>; false (nothing
    /// changed) when the row already holds a newer token, i.e. this lease is already stale.
    /// </summary>
    public static bool Advance(PostgresDatabase database, string room, long token, string node)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Run(connection => Sql.Execute(connection, null, """
            INSERT INTO room_fences (room, token, node) VALUES ($1, $2, $3)
            ON CONFLICT (room) DO UPDATE SET token = excluded.token, node = excluded.node, fenced_at = now()
            WHERE room_fences.token <= excluded.token
            """, room, token, node) == 1);
    }

    /// <summary>The room's newest token and the node that took it, or null when no node ever took the room.</summary>
    public static (long Token, string Node)? Read(PostgresDatabase database, string room)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Run<(long, string)?>(connection =>
        {
            using var command = Sql.Command(connection, "SELECT token, node FROM room_fences WHERE room=$1", room);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : null;
        });
    }

    /// <summary>
    /// Inside a write's transaction: locks the room's row for share and throws <see cref="RoomFencedException"/> (after
    /// telling <paramref name="fence"/>) unless it holds the token this process has for the room.
    /// </summary>
    public static void Check(IRoomFence fence, NpgsqlConnection connection, NpgsqlTransaction transaction, string room)
    {
        ArgumentNullException.ThrowIfNull(fence);
        var mine = fence.TokenOf(room);
        using var command = Sql.Command(connection, transaction, "SELECT token FROM room_fences WHERE room=$1 FOR SHARE", room);
        var stored = command.ExecuteScalar() is long token ? token : (long?)null;
        if (mine is { } held && stored == held) return;
        fence.Refused(room);
        throw new RoomFencedException(room, mine is null
            ? $"room '{room}' is not run by this node (it holds no lease on it)"
            : $"room '{room}' is run by another node now (fencing token {stored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} in the store, this node holds {mine})");
    }

    /// <summary>Like <see cref="Check"/> for a write that names only a line: the line's room is fenced (no check when there is no such line).</summary>
    public static void CheckLine(IRoomFence fence, NpgsqlConnection connection, NpgsqlTransaction transaction, string lineId)
    {
        using var command = Sql.Command(connection, transaction, "SELECT room FROM lines WHERE id=$1", lineId);
        if (command.ExecuteScalar() is string room) Check(fence, connection, transaction, room);
    }
}
