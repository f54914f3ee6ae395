using Npgsql;

namespace LiveHost.Storage.Postgres;

/// <summary>One output added to a room at run time, as the shared store keeps it: its id, what it pushes to (JSON) and whether it is paused.</summary>
public sealed record StoredOutput(string Id, string Target, bool Paused);

/// <summary>
/// The outputs added to rooms over REST at run time, in the shared store (table <c>room_outputs</c>, migration
/// <see cref="Migration"/>), so that a node taking a room over from a dead one starts them again, paused or not (issue 15
/// point 2). Every write is fenced like the room's lines (<see cref="PostgresRoomFences.Check"/>): only the node holding
/// the room's lease changes its outputs. Rows keep the order the outputs were added in.
/// </summary>
public sealed class PostgresRoomOutputs(PostgresDatabase database, IRoomFence fence)
{
    public const string Migration = """
        CREATE TABLE room_outputs (
            room text NOT NULL,
            id text NOT NULL,
            target jsonb NOT NULL,
            paused boolean NOT NULL DEFAULT false,
            ord bigserial NOT NULL,
            PRIMARY KEY (room, id));
        """;

    public const string MigrationDescription = "room_outputs: outputs added over REST at run time, started again by the node that takes the room over (issue 15 point 2)";

    /// <summary>
    /// Configured outputs (from the room's settings, not this table) that an admin paused: every node starts those from
    /// configuration, so only the pause needs keeping for a new owner to hold them paused too.
    /// </summary>
    public const string PausesMigration = """
        CREATE TABLE room_output_pauses (
            room text NOT NULL,
            id text NOT NULL,
            PRIMARY KEY (room, id));
        """;

    public const string PausesMigrationDescription = "room_output_pauses: configured outputs paused over REST stay paused on the node that takes the room over (issue 15 point 2)";

    /// <summary>The room's run-time outputs, in the order they were added.</summary>
    public IReadOnlyList<StoredOutput> List(string room) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT id, target::text, paused FROM room_outputs WHERE room=$1 ORDER BY ord", room);
        using var reader = command.ExecuteReader();
        var outputs = new List<StoredOutput>();
        while (reader.Read()) outputs.Add(new StoredOutput(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        return outputs;
    });

    public void Add(string room, StoredOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Fenced(room, (connection, transaction) => Sql.Execute(connection, transaction,
            "INSERT INTO room_outputs (room, id, target, paused) VALUES ($1, $2, $3, $4)", room, output.Id, Sql.Json(output.Target), output.Paused));
    }

    public void Remove(string room, string id) =>
        Fenced(room, (connection, transaction) => Sql.Execute(connection, transaction, "DELETE FROM room_outputs WHERE room=$1 AND id=$2", room, id));

    /// <summary>
    /// Pauses or resumes a run-time output in its row; any other id is one of the room's configured outputs, whose pause
    /// is kept in <c>room_output_pauses</c> (<see cref="ConfiguredPaused"/>).
    /// </summary>
    public void SetPaused(string room, string id, bool paused) =>
        Fenced(room, (connection, transaction) =>
        {
            if (Sql.Execute(connection, transaction, "UPDATE room_outputs SET paused=$3 WHERE room=$1 AND id=$2", room, id, paused) > 0) return;
            Sql.Execute(connection, transaction, paused
                ? "INSERT INTO room_output_pauses (room, id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                : "DELETE FROM room_output_pauses WHERE room=$1 AND id=$2", room, id);
        });

    /// <summary>The ids of the room's configured outputs that are paused.</summary>
    public IReadOnlyList<string> ConfiguredPaused(string room) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT id FROM room_output_pauses WHERE room=$1 ORDER BY id", room);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    });

    /// <summary>The output now has another id (started again on a new owner, which numbers its outputs afresh); its place in the order stays.</summary>
    public void Renumber(string room, string id, string newId) =>
        Fenced(room, (connection, transaction) => Sql.Execute(connection, transaction, "UPDATE room_outputs SET id=$3 WHERE room=$1 AND id=$2", room, id, newId));

    /// <summary>Every run-time output of the room goes (the room itself was removed).</summary>
    public void RemoveAll(string room) =>
        Fenced(room, (connection, transaction) =>
        {
            Sql.Execute(connection, transaction, "DELETE FROM room_outputs WHERE room=$1", room);
            Sql.Execute(connection, transaction, "DELETE FROM room_output_pauses WHERE room=$1", room);
        });

    private void Fenced(string room, Action<NpgsqlConnection, NpgsqlTransaction> write) => database.Run(connection =>
    {
        using var transaction = connection.BeginTransaction();
        PostgresRoomFences.Check(fence, connection, transaction, room);
        write(connection, transaction);
        transaction.Commit();
        return 0;
    });
}
