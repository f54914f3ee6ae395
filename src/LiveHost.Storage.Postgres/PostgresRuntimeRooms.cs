namespace LiveHost.Storage.Postgres;

/// <summary>
/// The settings of rooms made at run time (<c>PUT /api/rooms/{room}</c>) in a cluster, in the shared store (table
/// <c>cluster_rooms</c>, migration <see cref="Migration"/>): every node reads them, so such a room is placed and taken
/// over like a configured one (issue 15 point 2). A single machine keeps them in <c>{data}/rooms.json</c> instead.
/// The settings are the room's options as JSON; which node runs the room is Redis's business, not this table's.
/// </summary>
public sealed class PostgresRuntimeRooms(PostgresDatabase database)
{
    public const string Migration = """
        CREATE TABLE cluster_rooms (
            room text PRIMARY KEY,
            settings jsonb NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now());
        """;

    public const string MigrationDescription = "cluster_rooms: rooms made at run time in a cluster, placed and taken over like configured ones (issue 15 point 2)";

    /// <summary>Every run-time room and its settings (JSON), by name.</summary>
    public IReadOnlyDictionary<string, string> All() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT room, settings::text FROM cluster_rooms");
        using var reader = command.ExecuteReader();
        var rooms = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read()) rooms[reader.GetString(0)] = reader.GetString(1);
        return rooms;
    });

    /// <summary>The room's settings (JSON), or null when no such run-time room exists.</summary>
    public string? Find(string room) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT settings::text FROM cluster_rooms WHERE room=$1", room);
        return command.ExecuteScalar() as string;
    });

    /// <summary>Creates or replaces the room's settings; true when it is new.</summary>
    public bool Save(string room, string settings) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, """
            INSERT INTO cluster_rooms (room, settings) VALUES ($1, $2)
            ON CONFLICT (room) DO UPDATE SET settings = excluded.settings, updated_at = now()
            RETURNING (xmax = 0)
            """, room, Sql.Json(settings));
        return command.ExecuteScalar() is true;
    });

    /// <summary>False when there was no such room.</summary>
    public bool Remove(string room) => database.Run(connection =>
        Sql.Execute(connection, null, "DELETE FROM cluster_rooms WHERE room=$1", room) == 1);
}
