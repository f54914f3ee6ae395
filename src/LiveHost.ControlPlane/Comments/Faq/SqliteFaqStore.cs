using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace LiveHost.ControlPlane.Comments.Faq;

/// <summary>FAQ entries in <c>{data}/faq.db</c> (its own file: <c>livehost.db</c> is held exclusively by the line store).</summary>
public sealed class SqliteFaqStore : IFaqStore
{
    private readonly string _connectionString;

    public SqliteFaqStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS faq (
                room TEXT NOT NULL, id TEXT NOT NULL, questions TEXT NOT NULL, answer TEXT NOT NULL,
                language TEXT NOT NULL, product TEXT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (room, id));
            """;
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<FaqEntry> LoadAll()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT room, id, questions, answer, language, product, updated_at FROM faq ORDER BY room, updated_at";
        using var reader = command.ExecuteReader();
        var entries = new List<FaqEntry>();
        while (reader.Read())
        {
            entries.Add(new FaqEntry(reader.GetString(1), reader.GetString(0), JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [],
                reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture)));
        }
        return entries;
    }

    public void Save(FaqEntry entry)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO faq (room, id, questions, answer, language, product, updated_at)
            VALUES ($room, $id, $questions, $answer, $language, $product, $updatedAt)
            """;
        command.Parameters.AddWithValue("$room", entry.Room);
        command.Parameters.AddWithValue("$id", entry.Id);
        command.Parameters.AddWithValue("$questions", JsonSerializer.Serialize(entry.Questions));
        command.Parameters.AddWithValue("$answer", entry.Answer);
        command.Parameters.AddWithValue("$language", entry.Language);
        command.Parameters.AddWithValue("$product", (object?)entry.Product ?? DBNull.Value);
        command.Parameters.AddWithValue("$updatedAt", (entry.UpdatedAt ?? DateTimeOffset.UnixEpoch).ToString("O", CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    public bool Delete(string room, string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM faq WHERE room=$room AND id=$id";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() > 0;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
