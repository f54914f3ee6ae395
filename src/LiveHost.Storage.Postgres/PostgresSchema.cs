using LiveHost.Engine.Persistence;
using Npgsql;

namespace LiveHost.Storage.Postgres;

/// <summary>
/// The stores' tables, as numbered migrations applied at start. Table <c>schema_version</c> lists those applied (one row
/// each: version, description, applied_at); each pending one runs in its own transaction together with its row, so a
/// start that dies halfway leaves a whole number of migrations. Every start takes the session advisory lock
/// <see cref="LockKey"/> first: several nodes starting at once apply each migration once, the others wait and then find
/// nothing to do. A database whose schema is newer than this build knows is refused (an older LiveHost must not write
/// to it). Append migrations; never edit one that shipped.
/// </summary>
public static class PostgresSchema
{
    /// <summary><c>pg_advisory_lock</c> key of schema migrations ("LiveHost" in ASCII).</summary>
    public const long LockKey = 0x4C69766548_6F7374;

    public static IReadOnlyList<(int Version, string Description, string Sql)> Migrations { get; } =
    [
        (1, "lines, rooms, clips, scripts, products, room loops, moderation lists, FAQ, audit log", """
            CREATE TABLE lines (
                id text PRIMARY KEY,
                room text NOT NULL,
                text text NOT NULL,
                language text NOT NULL,
                voice text NULL,
                tag text NULL,
                status text NOT NULL,
                reason text NULL,
                ord bigint NOT NULL,
                queued_at timestamptz NOT NULL,
                started_at timestamptz NULL,
                finished_at timestamptz NULL,
                kind text NOT NULL DEFAULT 'text',
                interruptible boolean NOT NULL DEFAULT true,
                at timestamptz NULL,
                product text NULL,
                source text NOT NULL DEFAULT 'live',
                script_id text NULL);
            CREATE INDEX lines_unfinished ON lines (room, status, ord);
            CREATE TABLE line_clips (
                id text PRIMARY KEY,
                samples bytea NOT NULL,
                saved_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE rooms (
                name text PRIMARY KEY,
                paused boolean NOT NULL);
            CREATE TABLE scripts (
                id text PRIMARY KEY,
                name text NOT NULL,
                lines jsonb NOT NULL,
                line_count integer NOT NULL,
                updated_at timestamptz NOT NULL);
            CREATE TABLE products (
                id text PRIMARY KEY,
                name text NOT NULL,
                price numeric NOT NULL,
                currency text NOT NULL,
                bullets jsonb NOT NULL,
                image bytea NULL,
                updated_at timestamptz NOT NULL);
            CREATE TABLE room_scripts (
                room text PRIMARY KEY,
                script_id text NOT NULL,
                mode text NOT NULL,
                position integer NOT NULL);
            CREATE TABLE moderation_lists (
                language text PRIMARY KEY,
                saved_at timestamptz NOT NULL);
            CREATE TABLE moderation_terms (
                language text NOT NULL REFERENCES moderation_lists (language) ON DELETE CASCADE,
                kind text NOT NULL,
                term text NOT NULL,
                ord integer NOT NULL);
            CREATE INDEX moderation_terms_language ON moderation_terms (language, ord);
            CREATE TABLE faq (
                room text NOT NULL,
                id text NOT NULL,
                questions jsonb NOT NULL,
                answer text NOT NULL,
                language text NOT NULL,
                product text NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (room, id));
            CREATE TABLE audit (
                seq bigint PRIMARY KEY,
                at text NOT NULL,
                key_name text NULL,
                role text NULL,
                room text NULL,
                command text NOT NULL,
                arguments text NOT NULL,
                result text NOT NULL,
                prev_hash text NOT NULL,
                hash text NOT NULL);
            CREATE INDEX audit_room ON audit (room, seq);
            CREATE TABLE store_probe (
                id integer PRIMARY KEY,
                at timestamptz NOT NULL);
            """),
        (2, "lines.action: the presenter action played when a line starts (issue 13)", """
            ALTER TABLE lines ADD COLUMN action text NULL;
            """),
        (3, PostgresRoomFences.MigrationDescription, PostgresRoomFences.Migration),
        (4, PostgresRoomOutputs.MigrationDescription, PostgresRoomOutputs.Migration),
        (5, PostgresRuntimeRooms.MigrationDescription, PostgresRuntimeRooms.Migration),
        (6, PostgresRoomOutputs.PausesMigrationDescription, PostgresRoomOutputs.PausesMigration),
    ];

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>
    /// Applies the pending migrations; returns the versions it applied (none when another start already did).
    /// Throws <see cref="StorageUnusableException"/> with one line saying what to do when the database cannot be used.
    /// </summary>
    public static IReadOnlyList<int> Migrate(PostgresDatabase database)
    {
        try
        {
            return database.Run(MigrateLocked);
        }
        catch (StorageFailedException ex)
        {
            throw new StorageUnusableException(
                $"storage: {ex.Message}; start PostgreSQL, check Storage:ConnectionString (host, port, database, user, password), or set Storage:Provider=sqlite", ex);
        }
    }

    private static List<int> MigrateLocked(NpgsqlConnection connection)
    {
        Execute(connection, null, $"SELECT pg_advisory_lock({LockKey})");
        try
        {
            Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version integer PRIMARY KEY,
                    description text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """);
            var applied = new HashSet<int>();
            using (var query = new NpgsqlCommand("SELECT version FROM schema_version", connection))
            using (var reader = query.ExecuteReader())
            {
                while (reader.Read()) applied.Add(reader.GetInt32(0));
            }
            if (applied.Count > 0 && applied.Max() > LatestVersion)
            {
                throw new StorageUnusableException(
                    $"storage: the database's schema is version {applied.Max()}, newer than this LiveHost knows ({LatestVersion}); run the newer LiveHost or point Storage:ConnectionString at another database");
            }
            var done = new List<int>();
            foreach (var (version, description, sql) in Migrations)
            {
                if (applied.Contains(version)) continue;
                using var transaction = connection.BeginTransaction();
                Execute(connection, transaction, sql);
                using (var row = new NpgsqlCommand("INSERT INTO schema_version (version, description) VALUES ($1, $2)", connection, transaction))
                {
                    row.Parameters.Add(new NpgsqlParameter { Value = version });
                    row.Parameters.Add(new NpgsqlParameter { Value = description });
                    row.ExecuteNonQuery();
                }
                transaction.Commit();
                done.Add(version);
            }
            return done;
        }
        finally
        {
            Execute(connection, null, $"SELECT pg_advisory_unlock({LockKey})");
        }
    }

    internal static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
