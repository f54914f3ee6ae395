using System.Globalization;
using System.Runtime.InteropServices;
using LiveHost.Engine.Lines;
using Microsoft.Data.Sqlite;

namespace LiveHost.Engine.Persistence;

/// <summary>
/// Lines in one SQLite file (WAL, synchronous=NORMAL: an acknowledged line survives a process crash).
/// One connection guarded by a lock: writes are a few per line, far from any hot path.
/// Audio lines' clips live as raw 48 kHz mono little-endian PCM in <c>audio/{id}.pcm</c> next to the database file;
/// the row's <c>clip</c> column holds that relative path. A clip is written (and flushed to disk) before its row, and
/// deleted when the line finishes; clips left by a crash between the two are removed at the next start.
/// </summary>
public sealed class SqliteLineStore : ILineStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly string _directory;

    public const string ClipFolder = "audio";

    public SqliteLineStore(string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        Directory.CreateDirectory(directory);
        _directory = directory;
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
        // Databases made before audio lines existed get the two columns; every old row is a text line.
        AddColumnIfMissing("kind", "TEXT NOT NULL DEFAULT 'text'");
        AddColumnIfMissing("clip", "TEXT NULL");
        RemoveOrphanClips();
    }

    /// <summary>The folder holding audio lines' clips.</summary>
    public string ClipDirectory => Path.Combine(_directory, ClipFolder);

    public void Insert(Line line, long order)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO lines (id, room, text, language, voice, tag, status, reason, ord, queued_at, kind, clip)
                VALUES ($id, $room, $text, $language, $voice, $tag, 'queued', NULL, $ord, $queuedAt, $kind, $clip)
                """;
            command.Parameters.AddWithValue("$id", line.Id);
            command.Parameters.AddWithValue("$room", line.Room);
            command.Parameters.AddWithValue("$text", line.Text);
            command.Parameters.AddWithValue("$language", line.Language);
            command.Parameters.AddWithValue("$voice", (object?)line.Voice ?? DBNull.Value);
            command.Parameters.AddWithValue("$tag", (object?)line.Tag ?? DBNull.Value);
            command.Parameters.AddWithValue("$ord", order);
            command.Parameters.AddWithValue("$queuedAt", Format(line.QueuedAt));
            command.Parameters.AddWithValue("$kind", line.Kind == LineKind.Audio ? "audio" : "text");
            command.Parameters.AddWithValue("$clip", line.Kind == LineKind.Audio ? ClipReference(line.Id) : DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    public void MarkStarted(string id, DateTimeOffset at) =>
        Update("UPDATE lines SET status='speaking', started_at=$at WHERE id=$id", id, at, reason: null);

    public void MarkFinished(string id, FinishReason reason, DateTimeOffset at)
    {
        Update("UPDATE lines SET status='done', reason=$reason, finished_at=$at WHERE id=$id", id, at, reason);
        // A finished line is never played again. (A reader still playing it keeps its open handle on Linux.)
        DeleteClip(id);
    }

    public void SaveClip(string id, ReadOnlySpan<short> samples)
    {
        var path = ClipPath(id);
        Directory.CreateDirectory(ClipDirectory);
        // Write aside and rename, so a crash never leaves a half clip under the name a row points at.
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            file.Write(MemoryMarshal.AsBytes(samples));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public Stream OpenClip(string id)
    {
        string? reference;
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT clip FROM lines WHERE id=$id";
            command.Parameters.AddWithValue("$id", id);
            reference = command.ExecuteScalar() as string;
        }
        if (reference is null) throw new FileNotFoundException($"line {id} has no stored audio clip");
        return new FileStream(Path.Combine(_directory, reference), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1);
    }

    public void DeleteClip(string id)
    {
        if (!IsSafeId(id)) return;
        try
        {
            File.Delete(ClipPath(id));
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public IReadOnlyList<Line> LoadUnfinished(string room)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT id, room, text, language, voice, tag, queued_at, kind FROM lines
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
                    Tag: reader.IsDBNull(5) ? null : reader.GetString(5),
                    Kind: reader.GetString(7) == "audio" ? LineKind.Audio : LineKind.Text));
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

    private static string ClipReference(string id) => ClipFolder + "/" + id + ".pcm";

    private string ClipPath(string id)
    {
        // Ids are the store's own (hex GUIDs); anything else must never become a path.
        if (!IsSafeId(id)) throw new ArgumentException($"'{id}' is not a line id", nameof(id));
        return Path.Combine(ClipDirectory, id + ".pcm");
    }

    private static bool IsSafeId(string id) => id.Length is > 0 and <= 64 && id.All(char.IsAsciiLetterOrDigit);

    private void AddColumnIfMissing(string column, string definition)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('lines') WHERE name=$name";
        command.Parameters.AddWithValue("$name", column);
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            Execute($"ALTER TABLE lines ADD COLUMN {column} {definition}");
        }
    }

    private void RemoveOrphanClips()
    {
        if (!Directory.Exists(ClipDirectory)) return;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT clip FROM lines WHERE status <> 'done' AND clip IS NOT NULL";
            using var reader = command.ExecuteReader();
            while (reader.Read()) wanted.Add(Path.GetFileName(reader.GetString(0)));
        }
        foreach (var file in Directory.EnumerateFiles(ClipDirectory))
        {
            if (!wanted.Contains(Path.GetFileName(file))) File.Delete(file);
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
