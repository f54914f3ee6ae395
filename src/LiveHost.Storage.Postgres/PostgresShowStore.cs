using System.Text.Json;
using LiveHost.Engine.Show;
using Npgsql;

namespace LiveHost.Storage.Postgres;

/// <summary>
/// Scripts, products and rooms' loops in PostgreSQL (tables <c>scripts</c> and <c>products</c> with JSON in
/// <c>jsonb</c>, the re-encoded PNG in <c>bytea</c>, and <c>room_scripts</c>), like <see cref="SqliteShowStore"/>.
/// Called by the control plane: a database that cannot be reached refuses the command (<c>storageFailed</c>, 503).
/// </summary>
public sealed class PostgresShowStore(PostgresDatabase database, IRoomFence? fence = null) : IScriptStore, IProductStore, IRoomScriptStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<ScriptSummary> List() => ReadAll("SELECT id, name, line_count, updated_at FROM scripts ORDER BY name, id",
        reader => new ScriptSummary(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), Sql.Time(reader, 3)));

    public Script? Get(string id) => database.RunCommand(connection =>
    {
        using var command = Sql.Command(connection, "SELECT id, name, lines::text, updated_at FROM scripts WHERE id=$1", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var lines = JsonSerializer.Deserialize<List<ScriptLine>>(reader.GetString(2), Json) ?? [];
        return new Script(reader.GetString(0), reader.GetString(1), lines, Sql.Time(reader, 3));
    });

    public void Save(Script script)
    {
        ArgumentNullException.ThrowIfNull(script.Id);
        var lines = script.Lines ?? [];
        database.RunCommand(connection => Sql.Execute(connection, null, """
            INSERT INTO scripts (id, name, lines, line_count, updated_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO UPDATE SET name=excluded.name, lines=excluded.lines, line_count=excluded.line_count, updated_at=excluded.updated_at
            """, script.Id, script.Name ?? "", Sql.Json(JsonSerializer.Serialize(lines, Json)), lines.Count, script.UpdatedAt ?? DateTimeOffset.UnixEpoch));
    }

    bool IScriptStore.Delete(string id) => DeleteFrom("scripts", id);

    IReadOnlyList<Product> IProductStore.List() => ReadAll(
        "SELECT id, name, price, currency, bullets::text, image IS NOT NULL, updated_at FROM products ORDER BY name, id",
        reader => new Product(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetDecimal(2),
            reader.GetString(3),
            JsonSerializer.Deserialize<List<string>>(reader.GetString(4), Json) ?? [],
            reader.GetBoolean(5),
            Sql.Time(reader, 6)));

    public void Save(Product product)
    {
        ArgumentNullException.ThrowIfNull(product.Id);
        database.RunCommand(connection => Sql.Execute(connection, null, """
            INSERT INTO products (id, name, price, currency, bullets, image, updated_at) VALUES ($1, $2, $3, $4, $5, NULL, $6)
            ON CONFLICT (id) DO UPDATE SET name=excluded.name, price=excluded.price, currency=excluded.currency, bullets=excluded.bullets,
                updated_at=excluded.updated_at
            """, product.Id, product.Name ?? "", product.Price ?? 0m, product.Currency ?? "",
            Sql.Json(JsonSerializer.Serialize(product.Bullets ?? [], Json)), product.UpdatedAt ?? DateTimeOffset.UnixEpoch));
    }

    bool IProductStore.Delete(string id) => DeleteFrom("products", id);

    public void SaveImage(string id, byte[]? png) =>
        database.RunCommand(connection => Sql.Execute(connection, null, "UPDATE products SET image=$2 WHERE id=$1", id, Sql.Bytes(png)));

    public byte[]? LoadImage(string id) => database.RunCommand(connection =>
    {
        using var command = Sql.Command(connection, "SELECT image FROM products WHERE id=$1", id);
        return command.ExecuteScalar() as byte[];
    });

    public StoredRoomScript? LoadRoomScript(string room) => database.RunCommand(connection =>
    {
        using var command = Sql.Command(connection, "SELECT script_id, mode, position FROM room_scripts WHERE room=$1", room);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new StoredRoomScript(reader.GetString(0), reader.GetString(1) == "loop" ? ScriptMode.Loop : ScriptMode.Once, reader.GetInt32(2));
    });

    public void SaveRoomScript(string room, StoredRoomScript? state) => database.RunCommand(connection =>
    {
        // Fenced like the line store's writes when this node runs rooms under leases (several nodes).
        using var transaction = connection.BeginTransaction();
        if (fence is not null) PostgresRoomFences.Check(fence, connection, transaction, room);
        var changed = state is null
            ? Sql.Execute(connection, transaction, "DELETE FROM room_scripts WHERE room=$1", room)
            : Sql.Execute(connection, transaction, """
                INSERT INTO room_scripts (room, script_id, mode, position) VALUES ($1, $2, $3, $4)
                ON CONFLICT (room) DO UPDATE SET script_id=excluded.script_id, mode=excluded.mode, position=excluded.position
                """, room, state.ScriptId, state.Mode == ScriptMode.Loop ? "loop" : "once", state.Position);
        transaction.Commit();
        return changed;
    });

    private bool DeleteFrom(string table, string id) =>
        database.RunCommand(connection => Sql.Execute(connection, null, $"DELETE FROM {table} WHERE id=$1", id) > 0);

    private List<T> ReadAll<T>(string sql, Func<NpgsqlDataReader, T> row) => database.RunCommand(connection =>
    {
        using var command = Sql.Command(connection, sql);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(row(reader));
        return rows;
    });
}
