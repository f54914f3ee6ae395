using System.Runtime.InteropServices;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using Npgsql;

namespace LiveHost.Storage.Postgres;

/// <summary>
/// Lines and room state in PostgreSQL (tables <c>lines</c>, <c>rooms</c>, <c>line_clips</c>; see <see cref="PostgresSchema"/>),
/// with the same contract as <see cref="SqliteLineStore"/>: a line's row is committed before it is acknowledged, and every
/// multi-row change is one transaction. Audio lines' clips live in the database too (<c>line_clips</c>, raw 48 kHz mono
/// little-endian PCM), so any server on the database can play them; a clip is written before its row and deleted with
/// its line's finish. Each call borrows a pooled connection; a database that cannot be reached throws
/// <see cref="StorageFailedException"/>, which the <see cref="StorageJournal"/> holds and retries.
/// </summary>
public sealed class PostgresLineStore : ILineStore, IRoomStateStore
{
    /// <summary>Clips with no unfinished line are removed at start once they are this old (a clip is saved just before its row).</summary>
    private static readonly TimeSpan OrphanClipAge = TimeSpan.FromHours(1);

    private readonly PostgresDatabase _database;
    private readonly IRoomFence? _fence;

    /// <param name="fence">The leases this node holds (several nodes): every write for a room is checked against the room's
    /// fencing token in the same transaction (<see cref="PostgresRoomFences"/>). Null on a single machine: no check.</param>
    public PostgresLineStore(PostgresDatabase database, IRoomFence? fence = null)
    {
        _database = database;
        _fence = fence;
        _database.Run(connection => Sql.Execute(connection, null, """
            DELETE FROM line_clips c WHERE c.saved_at < now() - $1::interval
              AND NOT EXISTS (SELECT 1 FROM lines l WHERE l.id = c.id AND l.status <> 'done')
            """, OrphanClipAge));
    }

    public void Insert(Line line, long order) => ForRoom(line.Room, (connection, transaction) => InsertRow(connection, transaction, line, order), single: true);

    public void InsertAt(Line line, QueueOrder order)
    {
        var index = LineColumns.IndexOf(order, line.Id);
        ForRoom(line.Room, (connection, transaction) =>
        {
            InsertRow(connection, transaction, line, order.FirstOrder + index);
            SetOrder(connection, transaction, order);
        });
    }

    // The order lists one room's lines: the first one names the room to fence.
    public void Reorder(QueueOrder order) => ForLine(order.Ids.Count > 0 ? order.Ids[0] : null, (connection, transaction) => SetOrder(connection, transaction, order));

    public void MarkFired(string id, long order) => ForLine(id, (connection, transaction) =>
        Sql.Execute(connection, transaction, "UPDATE lines SET status='queued', ord=$2 WHERE id=$1 AND status='scheduled'", id, order), single: true);

    public IReadOnlyList<Line> LoadScheduled(string room) => Load("WHERE room=$1 AND status='scheduled' ORDER BY at, ord", room);

    public LineStatus? FindStatus(string room, string id) => _database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT status FROM lines WHERE room=$1 AND id=$2", room, id);
        return LineColumns.ParseStatus(command.ExecuteScalar());
    });

    public void MarkStarted(string id, DateTimeOffset at) => ForLine(id, (connection, transaction) =>
        Sql.Execute(connection, transaction, "UPDATE lines SET status='speaking', started_at=$2 WHERE id=$1", id, at), single: true);

    public void MarkFinished(string id, FinishReason reason, DateTimeOffset at) => ForLine(id, (connection, transaction) =>
    {
        Sql.Execute(connection, transaction, "UPDATE lines SET status='done', reason=$2, finished_at=$3 WHERE id=$1", id, LineColumns.Reason(reason), at);
        // A finished line is never played again. (A reader still playing it has the samples in memory.)
        Sql.Execute(connection, transaction, "DELETE FROM line_clips WHERE id=$1", id);
    });

    public IReadOnlyList<Line> LoadUnfinished(string room) =>
        Load("WHERE room=$1 AND status IN ('queued', 'speaking') ORDER BY CASE status WHEN 'speaking' THEN 0 ELSE 1 END, ord", room);

    public long NextFrontOrder(string room) => Scalar("SELECT COALESCE(MIN(ord), 0) - 1 FROM lines WHERE room=$1", room);

    public long NextBackOrder(string room) => Scalar("SELECT COALESCE(MAX(ord), 0) + 1 FROM lines WHERE room=$1", room);

    public void SaveClip(string id, ReadOnlySpan<short> samples)
    {
        var bytes = MemoryMarshal.AsBytes(samples).ToArray();
        _database.Run(connection => Sql.Execute(connection, null, """
            INSERT INTO line_clips (id, samples) VALUES ($1, $2)
            ON CONFLICT (id) DO UPDATE SET samples=excluded.samples, saved_at=now()
            """, id, Sql.Bytes(bytes)));
    }

    public Stream OpenClip(string id)
    {
        var samples = _database.Run(connection =>
        {
            using var command = Sql.Command(connection, "SELECT samples FROM line_clips WHERE id=$1", id);
            return command.ExecuteScalar() as byte[];
        });
        return samples is null ? throw new FileNotFoundException($"line {id} has no stored audio clip") : new MemoryStream(samples, writable: false);
    }

    public void CheckWritable() => _database.Run(connection =>
        Sql.Execute(connection, null, "INSERT INTO store_probe (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at=excluded.at"));

    public void DeleteClip(string id) => _database.Run(connection => Sql.Execute(connection, null, "DELETE FROM line_clips WHERE id=$1", id));

    public StoredRoomState? LoadRoomState(string room) => _database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT paused FROM rooms WHERE name=$1", room);
        return command.ExecuteScalar() is bool paused ? new StoredRoomState(paused) : null;
    });

    public void SaveRoomState(string room, StoredRoomState state) => ForRoom(room, (connection, transaction) => Sql.Execute(connection, transaction,
        "INSERT INTO rooms (name, paused) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET paused=excluded.paused", room, state.Paused), single: true);

    private static int InsertRow(NpgsqlConnection connection, NpgsqlTransaction? transaction, Line line, long order) =>
        Sql.Execute(connection, transaction, """
            INSERT INTO lines (id, room, text, language, voice, tag, status, reason, ord, queued_at, kind, interruptible, at, product, source, script_id, action)
            VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            """,
            line.Id, line.Room, line.Text, line.Language, line.Voice, line.Tag, LineColumns.NewStatus(line), order, line.QueuedAt,
            LineColumns.Kind(line.Kind), line.Interruptible, line.At, line.Product, line.Source, line.ScriptId, line.Action);

    // One statement for the whole queue: the ids as an array, numbered by their position.
    private static void SetOrder(NpgsqlConnection connection, NpgsqlTransaction? transaction, QueueOrder order) =>
        Sql.Execute(connection, transaction, """
            UPDATE lines SET ord = $1 + moved.position - 1
            FROM unnest($2::text[]) WITH ORDINALITY AS moved(id, position)
            WHERE lines.id = moved.id AND lines.status = 'queued'
            """, order.FirstOrder, order.Ids.ToArray());

    // A write for one room: fenced in its own transaction when this node runs rooms under leases. Unfenced (one
    // machine), a single statement runs without a transaction of its own, as it always did.
    private void ForRoom(string room, Action<NpgsqlConnection, NpgsqlTransaction?> write, bool single = false)
    {
        if (_fence is null && single)
        {
            _database.Run(connection => { write(connection, null); return 0; });
            return;
        }
        InTransaction((connection, transaction) =>
        {
            if (_fence is not null) PostgresRoomFences.Check(_fence, connection, transaction, room);
            write(connection, transaction);
        });
    }

    private void ForLine(string? lineId, Action<NpgsqlConnection, NpgsqlTransaction?> write, bool single = false)
    {
        if (_fence is null && single)
        {
            _database.Run(connection => { write(connection, null); return 0; });
            return;
        }
        InTransaction((connection, transaction) =>
        {
            if (_fence is not null && lineId is not null) PostgresRoomFences.CheckLine(_fence, connection, transaction, lineId);
            write(connection, transaction);
        });
    }

    private void InTransaction(Action<NpgsqlConnection, NpgsqlTransaction> work) => _database.Run(connection =>
    {
        using var transaction = connection.BeginTransaction();
        work(connection, transaction);
        transaction.Commit();
        return 0;
    });

    private List<Line> Load(string where, string room) => _database.Run(connection =>
    {
        using var command = Sql.Command(connection, $"SELECT {LineColumns.Selected} FROM lines {where}", room);
        using var reader = command.ExecuteReader();
        var lines = new List<Line>();
        while (reader.Read()) lines.Add(LineColumns.Read(reader, static (r, i) => r.GetFieldValue<DateTimeOffset>(i)));
        return lines;
    });

    private long Scalar(string sql, string room) => _database.Run(connection =>
    {
        using var command = Sql.Command(connection, sql, room);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });
}
