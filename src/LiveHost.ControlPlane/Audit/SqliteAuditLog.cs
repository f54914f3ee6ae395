using LiveHost.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

/// <summary>
/// <see cref="IAuditLog"/> in the table <c>audit</c> of the server's database, through its one connection
/// (<see cref="ISqliteDatabase"/>). Appends are serialized by <see cref="ChainedAuditLog"/>'s lock; this store keeps the
/// chain's head (last seq and hash) in memory, since no other process writes the file. Each append is one INSERT in its
/// own transaction (WAL, synchronous=NORMAL: on disk once the call returns, like a line's row), made on the calling
/// control-plane thread: a room's tick never waits for it. Rows are never updated or deleted by the server.
/// </summary>
public sealed class SqliteAuditLog : ChainedAuditLog
{
    private readonly ISqliteDatabase _database;
    private long _lastSeq;
    private string _lastHash = AuditCanonicalForm.Genesis;

    public SqliteAuditLog(ISqliteDatabase database, ILogger<SqliteAuditLog> logger) : base(logger)
    {
        _database = database;
        _database.Run(connection =>
        {
            using (var create = connection.CreateCommand())
            {
                create.CommandText = """
                    CREATE TABLE IF NOT EXISTS audit (
                        seq INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        key_name TEXT NULL,
                        role TEXT NULL,
                        room TEXT NULL,
                        command TEXT NOT NULL,
                        arguments TEXT NOT NULL,
                        result TEXT NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS audit_room ON audit(room, seq);
                    """;
                create.ExecuteNonQuery();
            }

            using var head = connection.CreateCommand();
            head.CommandText = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
            using var reader = head.ExecuteReader();
            if (reader.Read())
            {
                _lastSeq = reader.GetInt64(0);
                _lastHash = reader.GetString(1);
            }
            return 0;
        });
    }

    protected override IReadOnlyList<AuditEntry> WriteLinked(IReadOnlyList<AuditRecord> records)
    {
        var entries = Link(_lastSeq, _lastHash, records);
        _database.Run(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO audit (seq, at, key_name, role, room, command, arguments, result, prev_hash, hash)
                VALUES ($seq, $at, $keyName, $role, $room, $command, $arguments, $result, $prevHash, $hash)
                """;
            foreach (var entry in entries)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$seq", entry.Seq);
                insert.Parameters.AddWithValue("$at", entry.At);
                insert.Parameters.AddWithValue("$keyName", (object?)entry.KeyName ?? DBNull.Value);
                insert.Parameters.AddWithValue("$role", (object?)entry.Role ?? DBNull.Value);
                insert.Parameters.AddWithValue("$room", (object?)entry.Room ?? DBNull.Value);
                insert.Parameters.AddWithValue("$command", entry.Command);
                insert.Parameters.AddWithValue("$arguments", entry.Arguments);
                insert.Parameters.AddWithValue("$result", entry.Result);
                insert.Parameters.AddWithValue("$prevHash", entry.PrevHash);
                insert.Parameters.AddWithValue("$hash", entry.Hash);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            return 0;
        });
        _lastSeq = entries[^1].Seq;
        _lastHash = entries[^1].Hash;
        return entries;
    }

    protected override bool IsStorageFailure(Exception exception) => exception is SqliteException or IOException or InvalidOperationException;

    protected override List<AuditEntry> ReadRows(string? room, long after, int limit) => _database.Run(connection =>
    {
        using var query = connection.CreateCommand();
        query.CommandText = room is null
            ? $"SELECT {Columns} FROM audit WHERE seq > $after ORDER BY seq LIMIT $limit"
            : $"SELECT {Columns} FROM audit WHERE room = $room AND seq > $after ORDER BY seq LIMIT $limit";
        query.Parameters.AddWithValue("$after", after);
        query.Parameters.AddWithValue("$limit", limit);
        if (room is not null) query.Parameters.AddWithValue("$room", room);
        using var reader = query.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read()) entries.Add(ReadEntry(reader));
        return entries;
    });

    protected override long CountRows() => _database.Run(connection =>
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM audit";
        return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });
}
