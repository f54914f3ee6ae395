using LiveHost.Engine.Moderation;

namespace LiveHost.Storage.Postgres;

/// <summary>
/// The term lists in PostgreSQL (<c>moderation_lists</c>: the languages ever saved; <c>moderation_terms</c>: one row per
/// term, kind <c>blocked</c> or <c>allowed</c>), like <see cref="SqliteModerationTermStore"/>: a language never saved reads
/// as its default list, and a save replaces one language's lists in one transaction.
/// </summary>
public sealed class PostgresModerationTermStore(PostgresDatabase database) : IModerationTermStore
{
    public IReadOnlyList<TermList> Load() => database.RunCommand(connection =>
    {
        var saved = new SortedDictionary<string, (List<string> Blocked, List<string> Allowed)>(StringComparer.Ordinal);
        using (var command = Sql.Command(connection, "SELECT language FROM moderation_lists"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) saved[reader.GetString(0)] = ([], []);
        }
        using (var command = Sql.Command(connection, "SELECT language, kind, term FROM moderation_terms ORDER BY language, ord"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var lists = saved[reader.GetString(0)];
                (reader.GetString(1) == "allowed" ? lists.Allowed : lists.Blocked).Add(reader.GetString(2));
            }
        }
        var result = DefaultTerms.All.Where(d => !saved.ContainsKey(d.Language)).ToList();
        result.AddRange(saved.Select(pair => new TermList(pair.Key, pair.Value.Blocked, pair.Value.Allowed)));
        return (IReadOnlyList<TermList>)result;
    });

    public void Save(TermList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        database.RunCommand(connection =>
        {
            using var transaction = connection.BeginTransaction();
            Sql.Execute(connection, transaction, "DELETE FROM moderation_terms WHERE language=$1", list.Language);
            Sql.Execute(connection, transaction, """
                INSERT INTO moderation_lists (language, saved_at) VALUES ($1, now()) ON CONFLICT (language) DO UPDATE SET saved_at=excluded.saved_at
                """, list.Language);
            var terms = list.Blocked.Select(t => ("blocked", t)).Concat(list.Allowed.Select(t => ("allowed", t))).ToArray();
            // One statement for the whole list, numbered in order.
            Sql.Execute(connection, transaction, """
                INSERT INTO moderation_terms (language, kind, term, ord)
                SELECT $1, kind, term, (position - 1)::integer FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(kind, term, position)
                """, list.Language, terms.Select(t => t.Item1).ToArray(), terms.Select(t => t.Item2).ToArray());
            transaction.Commit();
            return 0;
        });
    }
}
