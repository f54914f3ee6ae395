using System.Globalization;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

/// <summary>
/// <see cref="IAuditLog"/> in the table <c>audit</c> of the server's database, through its one connection
/// (<see cref="ISqliteDatabase"/>). Appends are serialized by a lock that holds the chain's head (last seq and hash) in
/// memory; each is one INSERT in its own transaction (WAL, synchronous=NORMAL: on disk once the call returns, like a
/// line's row), made on the calling control-plane thread: a room's tick never waits for it. Rows are never updated or
/// deleted by the server.
/// </summary>
public sealed partial class SqliteAuditLog : IAuditLog
{
    private const int VerifyChunk = 1000;

    private readonly ISqliteDatabase _database;
    private readonly ILogger<SqliteAuditLog> _logger;
    private readonly Lock _append = new();
    private readonly List<AuditRecord> _held = [];
    private long _lastSeq;
    private string _lastHash = AuditCanonicalForm.Genesis;
    private string? _problem;

    public SqliteAuditLog(ISqliteDatabase database, ILogger<SqliteAuditLog> logger)
    {
        _database = database;
        _logger = logger;
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

    public void EnsureWritable()
    {
        lock (_append)
        {
            if (_held.Count == 0) return;
            WriteHeld();
            if (_held.Count > 0)
            {
                throw new CommandRejectedException(RejectionCode.StorageFailed,
                    $"storage is failing: the audit log cannot be written ({_problem}); {_held.Count} entries are held; nothing was done");
            }
        }
    }

    public AuditEntry? Append(AuditRecord record)
    {
        lock (_append)
        {
            _held.Add(record);
            var written = WriteHeld();
            return _held.Count == 0 ? written : null;
        }
    }

    /// <summary>Writes every held record, in order, in one transaction. Returns the last entry written.</summary>
    private AuditEntry? WriteHeld()
    {
        var entries = new List<AuditEntry>(_held.Count);
        var seq = _lastSeq;
        var previous = _lastHash;
        foreach (var record in _held)
        {
            seq++;
            var at = AuditCanonicalForm.FormatTime(record.At);
            var canonical = AuditCanonicalForm.Canonical(seq, at, record.KeyName, record.Role, record.Room, record.Command, record.Arguments, record.Result);
            var hash = AuditCanonicalForm.Hash(previous, canonical);
            entries.Add(new AuditEntry(seq, at, record.KeyName, record.Role, record.Room, record.Command, record.Arguments, record.Result, previous, hash));
            previous = hash;
        }

        try
        {
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
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            var wasFailing = _problem is not null;
            _problem = ex.Message.TrimEnd('.');
            var record = _held[^1];
            LogHeld(record.Command, record.KeyName, record.Room, record.Arguments, record.Result, _held.Count, _problem);
            if (!wasFailing) LogFailing(ex);
            return null;
        }

        if (_problem is not null)
        {
            LogRecovered(entries.Count);
            _problem = null;
        }
        _held.Clear();
        _lastSeq = seq;
        _lastHash = previous;
        return entries[^1];
    }

    public AuditPage Read(string? room, long after, int limit)
    {
        var entries = _database.Run(connection =>
        {
            using var query = connection.CreateCommand();
            query.CommandText = room is null
                ? $"SELECT {Columns} FROM audit WHERE seq > $after ORDER BY seq LIMIT $limit"
                : $"SELECT {Columns} FROM audit WHERE room = $room AND seq > $after ORDER BY seq LIMIT $limit";
            query.Parameters.AddWithValue("$after", after);
            query.Parameters.AddWithValue("$limit", limit + 1);
            if (room is not null) query.Parameters.AddWithValue("$room", room);
            return ReadAll(query);
        });
        if (entries.Count <= limit) return new AuditPage(entries, null);
        entries.RemoveAt(entries.Count - 1);
        return new AuditPage(entries, entries[^1].Seq);
    }

    public AuditVerification Verify()
    {
        long expected = 1;
        var previous = AuditCanonicalForm.Genesis;
        var total = _database.Run(connection =>
        {
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM audit";
            return Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        // In chunks, so the lock (which line inserts and the journal also take) is never held for a whole long log.
        while (true)
        {
            var after = expected - 1;
            var chunk = _database.Run(connection =>
            {
                using var query = connection.CreateCommand();
                query.CommandText = $"SELECT {Columns} FROM audit WHERE seq > $after ORDER BY seq LIMIT {VerifyChunk}";
                query.Parameters.AddWithValue("$after", after);
                return ReadAll(query);
            });
            if (chunk.Count == 0) return new AuditVerification(true, total, null, null, previous);
            foreach (var entry in chunk)
            {
                if (entry.Seq != expected)
                {
                    return Broken(total, expected, entry.Seq == expected + 1
                        ? $"entry {expected} is missing: the log goes from entry {expected - 1} to entry {entry.Seq} (a row was deleted)"
                        : $"entries {expected} to {entry.Seq - 1} are missing: the log goes from entry {expected - 1} to entry {entry.Seq} (rows were deleted)", previous);
                }
                if (AuditCanonicalForm.HashOf(entry) != entry.Hash)
                {
                    return Broken(total, entry.Seq, $"entry {entry.Seq} was altered: its contents do not match its hash", previous);
                }
                if (entry.PrevHash != previous)
                {
                    return Broken(total, entry.Seq,
                        $"entry {entry.Seq} does not link to entry {entry.Seq - 1}: the previous hash it was written with is not entry {entry.Seq - 1}'s " +
                        $"hash (entry {entry.Seq - 1} was rewritten and its hash recomputed, or replaced)", previous);
                }
                previous = entry.Hash;
                expected++;
            }
        }
    }

    private AuditVerification Broken(long total, long at, string reason, string head)
    {
        LogBroken(at, reason);
        return new AuditVerification(false, total, at, reason, head);
    }

    private const string Columns = "seq, at, key_name, role, room, command, arguments, result, prev_hash, hash";

    private static List<AuditEntry> ReadAll(SqliteCommand query)
    {
        using var reader = query.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetString(8),
                reader.GetString(9)));
        }
        return entries;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log cannot be written; commands are refused (storageFailed) until it can")]
    private partial void LogFailing(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry held, not yet on disk ({Held} held; {Problem}): {Command} by {KeyName} in {Room} {Arguments} -> {Result}")]
    private partial void LogHeld(string command, string? keyName, string? room, string arguments, string result, int held, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit log is written again; {Written} held entries are on disk")]
    private partial void LogRecovered(int written);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit chain broken at entry {Seq}: {Reason}")]
    private partial void LogBroken(long seq, string reason);
}
