using System.Globalization;
using System.Runtime.InteropServices;
using LiveHost.Engine.Lines;
using Microsoft.Data.Sqlite;

namespace LiveHost.Engine.Persistence;

/// <summary>
/// Lines and room state in one SQLite file (WAL, synchronous=NORMAL: an acknowledged line survives a process crash).
/// One connection guarded by a lock. Nothing calls it on a room's tick: writes go through <see cref="StorageJournal"/>'s
/// writer task, reads happen at start.
/// The connection holds the file in <c>locking_mode=EXCLUSIVE</c>: SQLite then keeps the WAL index in heap memory
/// instead of a memory-mapped <c>-shm</c> file. A mapped file whose storage fails (read-only remount, full disk) makes
/// the next access to the mapping raise SIGBUS, which kills the process; with no mapping a failing disk is an
/// ordinary I/O error the journal reports and retries. It also keeps a second server off the same file.
/// Audio lines' clips live as raw 48 kHz mono little-endian PCM in <c>audio/{id}.pcm</c> next to the database file;
/// the row's <c>clip</c> column holds that relative path. A clip is written (and flushed to disk) before its row, and
/// deleted when the line finishes; clips left by a crash between the two are removed at the next start.
/// </summary>
public sealed class SqliteLineStore : ILineStore, IRoomStateStore, ISqliteDatabase, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly string _directory;

    public const string ClipFolder = "audio";

    // SQLite primary result codes (https://sqlite.org/rescode.html) that mean "the file is not a usable database".
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private const int SqliteBusy = 5;

    /// <summary>
    /// Opens (creating when missing) the database at <paramref name="databasePath"/>, checks it and makes sure it can be
    /// written. Throws <see cref="StorageUnusableException"/> with one line naming the file and what to do when it cannot
    /// be used. With <paramref name="moveAsideCorrupt"/>, a corrupt file is renamed to
    /// <c>{name}.corrupt-{yyyyMMddTHHmmssZ}</c> (with its -wal and -shm) and an empty database is started;
    /// <paramref name="movedAside"/> is told the new name.
    /// </summary>
    public SqliteLineStore(string databasePath, bool moveAsideCorrupt = false, Action<string>? movedAside = null, TimeProvider? time = null)
    {
        var fullPath = Path.GetFullPath(databasePath);
        _directory = Path.GetDirectoryName(fullPath)!;
        try
        {
            _connection = OpenChecked(fullPath);
        }
        catch (SqliteException ex) when (IsCorrupt(ex) && moveAsideCorrupt)
        {
            var aside = MoveAside(fullPath, (time ?? TimeProvider.System).GetUtcNow());
            movedAside?.Invoke(aside);
            _connection = OpenChecked(fullPath);
        }
        catch (SqliteException ex) when (IsCorrupt(ex))
        {
            throw new StorageUnusableException(
                $"storage: {fullPath} is corrupt ({ex.Message.TrimEnd('.')}); restore it from a backup, move it away to start empty, " +
                "or set Storage:MoveAsideCorruptDatabase=true to have it renamed and start empty", ex);
        }
    }

    private SqliteConnection OpenChecked(string fullPath)
    {
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(_directory);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = false }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            var check = Convert.ToString(ScalarOf(connection, "PRAGMA quick_check(1)"), CultureInfo.InvariantCulture);
            if (check != "ok") throw new SqliteException($"quick_check says: {check}", SqliteCorrupt);
            CreateSchema(connection);
            // Proves the folder takes writes now (the WAL file is created by the first write), not at the first line.
            Execute(connection, "PRAGMA user_version=1");
            RemoveOrphanClips(connection);
            return connection;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            if (ex is SqliteException sqlite && IsCorrupt(sqlite)) throw;
            var hint = ex is SqliteException { SqliteErrorCode: SqliteBusy }
                ? "another process (a second LiveHost?) holds it; stop that one or point Storage:DataDirectory elsewhere"
                : $"make {_directory} writable (and the disk not full) for this user, or point Storage:DataDirectory elsewhere";
            throw new StorageUnusableException($"storage: cannot open {fullPath} for writing ({ex.Message.TrimEnd('.')}); {hint}", ex);
        }
    }

    private static bool IsCorrupt(SqliteException ex) => ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase;

    private static string MoveAside(string fullPath, DateTimeOffset now)
    {
        var aside = $"{fullPath}.corrupt-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        File.Move(fullPath, aside);
        // The WAL belongs to the old file: left in place it would be replayed into the new, empty one.
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(fullPath + suffix)) File.Move(fullPath + suffix, aside + suffix);
        }
        return aside;
    }

    private static void CreateSchema(SqliteConnection connection)
    {
        Execute(connection, """
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
            CREATE TABLE IF NOT EXISTS rooms (
                name TEXT PRIMARY KEY,
                paused INTEGER NOT NULL);
            """);
        // Databases made before audio lines existed get the two columns; every old row is a text line.
        AddColumnIfMissing(connection, "kind", "TEXT NOT NULL DEFAULT 'text'");
        AddColumnIfMissing(connection, "clip", "TEXT NULL");
        // Queue editing, scheduled and non-interruptible lines, sources and products (issue 10).
        AddColumnIfMissing(connection, "interruptible", "INTEGER NOT NULL DEFAULT 1");
        AddColumnIfMissing(connection, "at", "TEXT NULL");
        AddColumnIfMissing(connection, "product", "TEXT NULL");
        AddColumnIfMissing(connection, "source", "TEXT NOT NULL DEFAULT 'live'");
        AddColumnIfMissing(connection, "script_id", "TEXT NULL");
        // The presenter's action played when the line starts (issue 13).
        AddColumnIfMissing(connection, "action", "TEXT NULL");
    }

    /// <summary>The folder holding audio lines' clips.</summary>
    public string ClipDirectory => Path.Combine(_directory, ClipFolder);

    public void Insert(Line line, long order)
    {
        lock (_gate) InsertRow(line, order, transaction: null);
    }

    public void InsertAt(Line line, QueueOrder order)
    {
        var index = LineColumns.IndexOf(order, line.Id);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            InsertRow(line, order.FirstOrder + index, transaction);
            SetOrder(order, transaction);
            transaction.Commit();
        }
    }

    public void Reorder(QueueOrder order)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            SetOrder(order, transaction);
            transaction.Commit();
        }
    }

    public void MarkFired(string id, long order)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "UPDATE lines SET status='queued', ord=$ord WHERE id=$id AND status='scheduled'";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$ord", order);
            command.ExecuteNonQuery();
        }
    }

    public IReadOnlyList<Line> LoadScheduled(string room) =>
        Load("WHERE room=$room AND status='scheduled' ORDER BY at, ord", room).OrderBy(l => l.At).ToArray();

    public LineStatus? FindStatus(string room, string id)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT status FROM lines WHERE room=$room AND id=$id";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$id", id);
            return LineColumns.ParseStatus(command.ExecuteScalar());
        }
    }

    private void InsertRow(Line line, long order, SqliteTransaction? transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO lines (id, room, text, language, voice, tag, status, reason, ord, queued_at, kind, clip,
                               interruptible, at, product, source, script_id, action)
            VALUES ($id, $room, $text, $language, $voice, $tag, $status, NULL, $ord, $queuedAt, $kind, $clip,
                    $interruptible, $at, $product, $source, $scriptId, $action)
            """;
        command.Parameters.AddWithValue("$id", line.Id);
        command.Parameters.AddWithValue("$room", line.Room);
        command.Parameters.AddWithValue("$text", line.Text);
        command.Parameters.AddWithValue("$language", line.Language);
        command.Parameters.AddWithValue("$voice", (object?)line.Voice ?? DBNull.Value);
        command.Parameters.AddWithValue("$tag", (object?)line.Tag ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", LineColumns.NewStatus(line));
        command.Parameters.AddWithValue("$ord", order);
        command.Parameters.AddWithValue("$queuedAt", Format(line.QueuedAt));
        command.Parameters.AddWithValue("$kind", LineColumns.Kind(line.Kind));
        command.Parameters.AddWithValue("$clip", line.Kind == LineKind.Audio ? ClipReference(line.Id) : DBNull.Value);
        command.Parameters.AddWithValue("$interruptible", line.Interruptible ? 1 : 0);
        command.Parameters.AddWithValue("$at", line.At is { } at ? Format(at.ToUniversalTime()) : DBNull.Value);
        command.Parameters.AddWithValue("$product", (object?)line.Product ?? DBNull.Value);
        command.Parameters.AddWithValue("$source", line.Source);
        command.Parameters.AddWithValue("$scriptId", (object?)line.ScriptId ?? DBNull.Value);
        command.Parameters.AddWithValue("$action", (object?)line.Action ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    // One statement for the whole queue (the ids as a JSON array, joined on the primary key): a thousand single-row
    // updates cost tens of milliseconds on a busy machine.
    private void SetOrder(QueueOrder order, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE lines SET ord = $first + moved.key
            FROM json_each($ids) AS moved
            WHERE lines.id = moved.value AND lines.status = 'queued'
            """;
        command.Parameters.AddWithValue("$first", order.FirstOrder);
        command.Parameters.AddWithValue("$ids", JsonArray(order.Ids));
        command.ExecuteNonQuery();
    }

    private static string JsonArray(IReadOnlyList<string> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values) writer.WriteStringValue(value);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
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
        // The path follows from the id (the row's clip column always holds audio/{id}.pcm): no query, so no wait on the
        // store's lock, which the journal writer holds while it writes.
        try
        {
            return new FileStream(ClipPath(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new FileNotFoundException($"line {id} has no stored audio clip", ex);
        }
    }

    public StoredRoomState? LoadRoomState(string room)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT paused FROM rooms WHERE name=$room";
            command.Parameters.AddWithValue("$room", room);
            return command.ExecuteScalar() is long paused ? new StoredRoomState(paused != 0) : null;
        }
    }

    public void SaveRoomState(string room, StoredRoomState state)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO rooms (name, paused) VALUES ($room, $paused) ON CONFLICT(name) DO UPDATE SET paused=excluded.paused";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$paused", state.Paused ? 1 : 0);
            command.ExecuteNonQuery();
        }
    }

    public void CheckWritable()
    {
        lock (_gate) Execute(_connection, "PRAGMA user_version=1");
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

    public IReadOnlyList<Line> LoadUnfinished(string room) =>
        Load("WHERE room=$room AND status IN ('queued', 'speaking') ORDER BY CASE status WHEN 'speaking' THEN 0 ELSE 1 END, ord", room);

    private List<Line> Load(string where, string room)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {LineColumns.Selected} FROM lines " + where;
            command.Parameters.AddWithValue("$room", room);
            using var reader = command.ExecuteReader();
            var lines = new List<Line>();
            while (reader.Read()) lines.Add(LineColumns.Read(reader, static (r, i) => DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture)));
            return lines;
        }
    }

    public long NextFrontOrder(string room) => Scalar("SELECT COALESCE(MIN(ord), 0) - 1 FROM lines WHERE room=$room", room);

    public long NextBackOrder(string room) => Scalar("SELECT COALESCE(MAX(ord), 0) + 1 FROM lines WHERE room=$room", room);

    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the database's one connection, under its lock: the other stores that share the
    /// file (scripts, products, the audit log) use it, since the exclusive locking mode keeps any second connection out
    /// (see <see cref="ISqliteDatabase"/>).
    /// </summary>
    public T Run<T>(Func<SqliteConnection, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate) return work(_connection);
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
            if (reason is { } r) command.Parameters.AddWithValue("$reason", LineColumns.Reason(r));
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

    private static void AddColumnIfMissing(SqliteConnection connection, string column, string definition)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('lines') WHERE name=$name";
        command.Parameters.AddWithValue("$name", column);
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, $"ALTER TABLE lines ADD COLUMN {column} {definition}");
        }
    }

    private void RemoveOrphanClips(SqliteConnection connection)
    {
        if (!Directory.Exists(ClipDirectory)) return;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
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

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? ScalarOf(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static string Format(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
