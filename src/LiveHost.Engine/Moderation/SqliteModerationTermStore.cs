using Microsoft.Data.Sqlite;

namespace LiveHost.Engine.Moderation;

/// <summary>
/// The term lists in their own SQLite file (<c>{data}/moderation.db</c>; <c>livehost.db</c> is held exclusively by the
/// line store). One row per term: <c>(language, kind, term)</c> with kind <c>blocked</c> or <c>allowed</c>. A language
/// never saved reads as its default list.
/// </summary>
public sealed class SqliteModerationTermStore : IModerationTermStore
{
    private readonly string _connectionString;

    public SqliteModerationTermStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS moderation_lists (language TEXT PRIMARY KEY, saved_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS moderation_terms (language TEXT NOT NULL, kind TEXT NOT NULL, term TEXT NOT NULL, ord INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<TermList> Load()
    {
        using var connection = Open();
        var saved = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT language FROM moderation_lists";
            using var reader = command.ExecuteReader();
            while (reader.Read()) saved.Add(reader.GetString(0));
        }
        var lists = DefaultTerms.All.Where(d => !saved.Contains(d.Language)).ToList();
        foreach (var language in saved.Order(StringComparer.Ordinal))
        {
            var blocked = new List<string>();
            var allowed = new List<string>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT kind, term FROM moderation_terms WHERE language=$language ORDER BY ord";
            command.Parameters.AddWithValue("$language", language);
            using var reader = command.ExecuteReader();
            while (reader.Read()) (reader.GetString(0) == "allowed" ? allowed : blocked).Add(reader.GetString(1));
            lists.Add(new TermList(language, blocked, allowed));
        }
        return lists;
    }

    public void Save(TermList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "DELETE FROM moderation_terms WHERE language=$language", list.Language);
        Execute(connection, transaction, "INSERT OR REPLACE INTO moderation_lists (language, saved_at) VALUES ($language, datetime('now'))", list.Language);
        var ord = 0;
        foreach (var (kind, terms) in new[] { ("blocked", list.Blocked), ("allowed", list.Allowed) })
        {
            foreach (var term in terms)
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO moderation_terms (language, kind, term, ord) VALUES ($language, $kind, $term, $ord)";
                insert.Parameters.AddWithValue("$language", list.Language);
                insert.Parameters.AddWithValue("$kind", kind);
                insert.Parameters.AddWithValue("$term", term);
                insert.Parameters.AddWithValue("$ord", ord++);
                insert.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, string language)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$language", language);
        command.ExecuteNonQuery();
    }
}
