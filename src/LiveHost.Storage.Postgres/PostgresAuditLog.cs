using LiveHost.ControlPlane;
using LiveHost.Engine.Persistence;
using Microsoft.Extensions.Logging;

namespace LiveHost.Storage.Postgres;

/// <summary>
/// <see cref="IAuditLog"/> in PostgreSQL's table <c>audit</c>. Several servers may share the database, so the chain's
/// head is never cached: each append takes the transaction advisory lock <see cref="ChainLockKey"/>, reads the head, links
/// its records after it and inserts them, all in one transaction; appends from every server form one chain. Holding and
/// refusing while storage fails, paging and verification are <see cref="ChainedAuditLog"/>'s.
/// </summary>
public sealed class PostgresAuditLog(PostgresDatabase database, ILogger<PostgresAuditLog> logger) : ChainedAuditLog(logger)
{
    /// <summary><c>pg_advisory_xact_lock</c> key that serializes appends to the chain ("LHaudit" in ASCII).</summary>
    public const long ChainLockKey = 0x4C48_6175_6469_74;

    protected override IReadOnlyList<AuditEntry> WriteLinked(IReadOnlyList<AuditRecord> records) => database.Run(connection =>
    {
        using var transaction = connection.BeginTransaction();
        Sql.Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({ChainLockKey})");
        var (lastSeq, lastHash) = (0L, AuditCanonicalForm.Genesis);
        using (var head = Sql.Command(connection, transaction, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
        using (var reader = head.ExecuteReader())
        {
            if (reader.Read()) (lastSeq, lastHash) = (reader.GetInt64(0), reader.GetString(1));
        }
        var entries = Link(lastSeq, lastHash, records);
        foreach (var e in entries)
        {
            Sql.Execute(connection, transaction, $"INSERT INTO audit ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                e.Seq, e.At, e.KeyName, e.Role, e.Room, e.Command, e.Arguments, e.Result, e.PrevHash, e.Hash);
        }
        transaction.Commit();
        return entries;
    });

    protected override bool IsStorageFailure(Exception exception) => exception is StorageFailedException;

    protected override List<AuditEntry> ReadRows(string? room, long after, int limit) => database.RunCommand(connection =>
    {
        using var query = room is null
            ? Sql.Command(connection, $"SELECT {Columns} FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2", after, limit)
            : Sql.Command(connection, $"SELECT {Columns} FROM audit WHERE room = $3 AND seq > $1 ORDER BY seq LIMIT $2", after, limit, room);
        using var reader = query.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read()) entries.Add(ReadEntry(reader));
        return entries;
    });

    protected override long CountRows() => database.RunCommand(connection =>
    {
        using var count = Sql.Command(connection, "SELECT COUNT(*) FROM audit");
        return (long)count.ExecuteScalar()!;
    });
}
