using System.Globalization;
using System.Text.Json;
using LiveHost.Engine.Persistence;
using Microsoft.Data.Sqlite;

namespace LiveHost.Engine.Show;

/// <summary>
/// Scripts, products and rooms' loops in the lines' database file (<c>livehost.db</c>), through its one connection
/// (<see cref="ISqliteDatabase.Run{T}"/>). Tables: <c>scripts</c> (lines as JSON), <c>products</c> (bullets as JSON,
/// the re-encoded PNG as a blob) and <c>room_scripts</c>. Created when missing.
/// </summary>
public sealed class SqliteShowStore : IScriptStore, IProductStore, IRoomScriptStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ISqliteDatabase _database;

    public SqliteShowStore(ISqliteDatabase database)
    {
        _database = database;
        _database.Run(connection =>
        {
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS scripts (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    lines TEXT NOT NULL,
                    line_count INTEGER NOT NULL,
                    updated_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS products (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    price TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    bullets TEXT NOT NULL,
                    image BLOB NULL,
                    updated_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS room_scripts (
                    room TEXT PRIMARY KEY,
                    script_id TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    position INTEGER NOT NULL);
                """);
            return true;
        });
    }

    public IReadOnlyList<ScriptSummary> List() => _database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, line_count, updated_at FROM scripts ORDER BY name, id";
        using var reader = command.ExecuteReader();
        var scripts = new List<ScriptSummary>();
        while (reader.Read())
        {
            scripts.Add(new ScriptSummary(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), ParseTime(reader.GetString(3))));
        }
        return (IReadOnlyList<ScriptSummary>)scripts;
    });

    public Script? Get(string id) => _database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, lines, updated_at FROM scripts WHERE id=$id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var lines = JsonSerializer.Deserialize<List<ScriptLine>>(reader.GetString(2), Json) ?? [];
        return new Script(reader.GetString(0), reader.GetString(1), lines, ParseTime(reader.GetString(3)));
    });

    public void Save(Script script)
    {
        ArgumentNullException.ThrowIfNull(script.Id);
        var lines = script.Lines ?? [];
        _database.Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO scripts (id, name, lines, line_count, updated_at) VALUES ($id, $name, $lines, $count, $at)
                ON CONFLICT(id) DO UPDATE SET name=excluded.name, lines=excluded.lines, line_count=excluded.line_count, updated_at=excluded.updated_at
                """;
            command.Parameters.AddWithValue("$id", script.Id);
            command.Parameters.AddWithValue("$name", script.Name ?? "");
            command.Parameters.AddWithValue("$lines", JsonSerializer.Serialize(lines, Json));
            command.Parameters.AddWithValue("$count", lines.Count);
            command.Parameters.AddWithValue("$at", Format(script.UpdatedAt ?? DateTimeOffset.UnixEpoch));
            return command.ExecuteNonQuery();
        });
    }

    bool IScriptStore.Delete(string id) => DeleteFrom("scripts", id);

    IReadOnlyList<Product> IProductStore.List() => _database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, price, currency, bullets, image IS NOT NULL, updated_at FROM products ORDER BY name, id";
        using var reader = command.ExecuteReader();
        var products = new List<Product>();
        while (reader.Read())
        {
            products.Add(new Product(
                reader.GetString(0),
                reader.GetString(1),
                decimal.Parse(reader.GetString(2), CultureInfo.InvariantCulture),
                reader.GetString(3),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(4), Json) ?? [],
                reader.GetBoolean(5),
                ParseTime(reader.GetString(6))));
        }
        return (IReadOnlyList<Product>)products;
    });

    public void Save(Product product)
    {
        ArgumentNullException.ThrowIfNull(product.Id);
        _database.Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO products (id, name, price, currency, bullets, image, updated_at) VALUES ($id, $name, $price, $currency, $bullets, NULL, $at)
                ON CONFLICT(id) DO UPDATE SET name=excluded.name, price=excluded.price, currency=excluded.currency, bullets=excluded.bullets,
                    updated_at=excluded.updated_at
                """;
            command.Parameters.AddWithValue("$id", product.Id);
            command.Parameters.AddWithValue("$name", product.Name ?? "");
            command.Parameters.AddWithValue("$price", (product.Price ?? 0m).ToString(CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$currency", product.Currency ?? "");
            command.Parameters.AddWithValue("$bullets", JsonSerializer.Serialize(product.Bullets ?? [], Json));
            command.Parameters.AddWithValue("$at", Format(product.UpdatedAt ?? DateTimeOffset.UnixEpoch));
            return command.ExecuteNonQuery();
        });
    }

    bool IProductStore.Delete(string id) => DeleteFrom("products", id);

    public void SaveImage(string id, byte[]? png) => _database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE products SET image=$image WHERE id=$id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.Add("$image", SqliteType.Blob).Value = (object?)png ?? DBNull.Value;
        return command.ExecuteNonQuery();
    });

    public byte[]? LoadImage(string id) => _database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT image FROM products WHERE id=$id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as byte[];
    });

    public StoredRoomScript? LoadRoomScript(string room) => _database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT script_id, mode, position FROM room_scripts WHERE room=$room";
        command.Parameters.AddWithValue("$room", room);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var mode = reader.GetString(1) == "loop" ? ScriptMode.Loop : ScriptMode.Once;
        return new StoredRoomScript(reader.GetString(0), mode, reader.GetInt32(2));
    });

    public void SaveRoomScript(string room, StoredRoomScript? state) => _database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        if (state is null)
        {
            command.CommandText = "DELETE FROM room_scripts WHERE room=$room";
        }
        else
        {
            command.CommandText = """
                INSERT INTO room_scripts (room, script_id, mode, position) VALUES ($room, $script, $mode, $position)
                ON CONFLICT(room) DO UPDATE SET script_id=excluded.script_id, mode=excluded.mode, position=excluded.position
                """;
            command.Parameters.AddWithValue("$script", state.ScriptId);
            command.Parameters.AddWithValue("$mode", state.Mode == ScriptMode.Loop ? "loop" : "once");
            command.Parameters.AddWithValue("$position", state.Position);
        }
        command.Parameters.AddWithValue("$room", room);
        return command.ExecuteNonQuery();
    });

    private bool DeleteFrom(string table, string id) => _database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {table} WHERE id=$id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() > 0;
    });

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Format(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
}
