using System.Globalization;
using LiveHost.Engine.Lines;
using Microsoft.Data.Sqlite;

namespace LiveHost.Engine.Persistence;

/// <summary>
/// Lines in one SQLite file (WAL, synchronous=NORMAL: an acknowledged line survives a process crash).
/// One connection guarded by a lock: writes are a few per line, far from any hot path.
/// </summary>
public sealed class SqliteLineStore : ILineStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public SqliteLineStore(string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (directory is not null) Directory.CreateDirectory(directory);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS lines (
                id TEXT PRIMARY KEY,
                room TEXT NOT NULL,
                text TEXT NOT NULL,
                language TEXT NOT NULL,
                voice TEXT NULL,
                tag TEXT NULL,
                status TEXT NOT NULL,
                reason TEXT NULL,
                ord INTEGER NOT NULL,
                queued_at TEXT NOT NULL,
                started_at TEXT NULL,
                finished_at TEXT NULL);
            CREATE INDEX IF NOT EXISTS lines_unfinished ON lines(room, status, ord);
            """);
    }

    public void Insert(Line line, long order)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO lines (id, room, text, language, voice, tag, status, reason, ord, queued_at)
                VALUES ($id, $room, $text, $language, $voice, $tag, 'queued', NULL, $ord, $queuedAt)
                """;
            command.Parameters.AddWithValue("$id", line.Id);
            command.Parameters.AddWithValue("$room", line.Room);
            command.Parameters.AddWithValue("$text", line.Text);
            command.Parameters.AddWithValue("$language", line.Language);
            command.Parameters.AddWithValue("$voice", (object?)line.Voice ?? DBNull.Value);
            command.Parameters.AddWithValue("$tag", (object?)line.Tag ?? DBNull.Value);
            command.Parameters.AddWithValue("$ord", order);
            command.Parameters.AddWithValue("$queuedAt", Format(line.QueuedAt));
            command.ExecuteNonQuery();
        }
    }

    public void MarkStarted(string id, DateTimeOffset at) =>
        Update("UPDATE lines SET status='speaking', started_at=$at WHERE id=$id", id, at, reason: null);

    public void MarkFinished(string id, FinishReason reason, DateTimeOffset at) =>
        Update("UPDATE lines SET status='done', reason=$reason, finished_at=$at WHERE id=$id", id, at, reason);

    public IReadOnlyList<Line> LoadUnfinished(string room)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT id, room, text, language, voice, tag, queued_at FROM lines
                WHERE room=$room AND status <> 'done'
                ORDER BY CASE status WHEN 'speaking' THEN 0 ELSE 1 END, ord
                """;
            command.Parameters.AddWithValue("$room", room);
            using var reader = command.ExecuteReader();
            var lines = new List<Line>();
            while (reader.Read())
            {
                lines.Add(new Line(
                    Id: reader.GetString(0),
                    Room: reader.GetString(1),
                    Text: reader.GetString(2),
                    Language: reader.GetString(3),
                    Status: LineStatus.Queued,
                    Reason: null,
                    QueuedAt: DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                    StartedAt: null,
                    FinishedAt: null,
                    Voice: reader.IsDBNull(4) ? null : reader.GetString(4),
                    Tag: reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
            return lines;
        }
    }

    public long NextFrontOrder(string room) => Scalar("SELECT COALESCE(MIN(ord), 0) - 1 FROM lines WHERE room=$room", room);

    public long NextBackOrder(string room) => Scalar("SELECT COALESCE(MAX(ord), 0) + 1 FROM lines WHERE room=$room", room);

    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }

    private long Scalar(string sql, string room)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$room", room);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    private void Update(string sql, string id, DateTimeOffset at, FinishReason? reason)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$at", Format(at));
            if (reason is { } r) command.Parameters.AddWithValue("$reason", r.ToString().ToLowerInvariant());
            command.ExecuteNonQuery();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Format(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
