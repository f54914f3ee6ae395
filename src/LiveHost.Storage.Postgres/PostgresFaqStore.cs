using System.Text.Json;
using LiveHost.ControlPlane.Comments.Faq;

namespace LiveHost.Storage.Postgres;

/// <summary>FAQ entries in PostgreSQL (table <c>faq</c>, the questions as <c>jsonb</c>), like <see cref="SqliteFaqStore"/>.</summary>
public sealed class PostgresFaqStore(PostgresDatabase database) : IFaqStore
{
    public IReadOnlyList<FaqEntry> LoadAll() => database.RunCommand(connection =>
    {
        using var command = Sql.Command(connection, "SELECT room, id, questions::text, answer, language, product, updated_at FROM faq ORDER BY room, updated_at");
        using var reader = command.ExecuteReader();
        var entries = new List<FaqEntry>();
        while (reader.Read())
        {
            entries.Add(new FaqEntry(reader.GetString(1), reader.GetString(0), JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [],
                reader.GetString(3), reader.GetString(4), Sql.NullableString(reader, 5), Sql.Time(reader, 6)));
        }
        return (IReadOnlyList<FaqEntry>)entries;
    });

    public void Save(FaqEntry entry) => database.RunCommand(connection => Sql.Execute(connection, null, """
        INSERT INTO faq (room, id, questions, answer, language, product, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (room, id) DO UPDATE SET questions=excluded.questions, answer=excluded.answer, language=excluded.language,
            product=excluded.product, updated_at=excluded.updated_at
        """, entry.Room, entry.Id, Sql.Json(JsonSerializer.Serialize(entry.Questions)), entry.Answer, entry.Language, entry.Product,
        entry.UpdatedAt ?? DateTimeOffset.UnixEpoch));

    public bool Delete(string room, string id) =>
        database.RunCommand(connection => Sql.Execute(connection, null, "DELETE FROM faq WHERE room=$1 AND id=$2", room, id) > 0);
}
