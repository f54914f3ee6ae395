using LiveHost.ControlPlane;
using LiveHost.Engine.Persistence;
using LiveHost.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LiveHost.Storage.Tests;

/// <summary>What only PostgreSQL has: migrations shared by several servers starting at once, and one audit chain written by several.</summary>
[UsesPostgres]
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresFixture postgres)
{
    [StoreFact]
    public async Task Servers_starting_at_once_on_an_empty_database_apply_each_migration_exactly_once()
    {
        var connectionString = postgres.Server.ConnectionString(await postgres.Server.CreateDatabaseAsync());
        var databases = Enumerable.Range(0, 6).Select(_ => PostgresDatabase.FromConnectionString(connectionString)).ToArray();
        try
        {
            using var go = new Barrier(databases.Length);
            var starts = databases.Select(d => Task.Factory.StartNew(() =>
            {
                go.SignalAndWait();
                return PostgresSchema.Migrate(d);
            }, TaskCreationOptions.LongRunning)).ToArray();
            var applied = await Task.WhenAll(starts);

            // One start applied them all; the others waited on the advisory lock and found nothing left to do.
            var expected = PostgresSchema.Migrations.Select(m => m.Version).ToArray();
            Assert.Equal(expected, Assert.Single(applied, a => a.Count > 0));
            Assert.Equal(databases.Length - 1, applied.Count(a => a.Count == 0));
            Assert.Equal(expected, Versions(databases[0]));
            Assert.Empty(PostgresSchema.Migrate(databases[0]));
        }
        finally
        {
            foreach (var database in databases) database.Dispose();
        }
    }

    [StoreFact]
    public async Task A_database_whose_schema_is_newer_than_this_build_is_refused_at_start_with_what_to_do()
    {
        using var database = PostgresDatabase.FromConnectionString(postgres.Server.ConnectionString(await postgres.Server.CreateDatabaseAsync()));
        PostgresSchema.Migrate(database);
        var future = PostgresSchema.LatestVersion + 1;
        database.Run(c => new NpgsqlCommand($"INSERT INTO schema_version (version, description) VALUES ({future}, 'from the future')", c).ExecuteNonQuery());

        var refused = Assert.Throws<StorageUnusableException>(() => PostgresSchema.Migrate(database));

        Assert.Contains($"schema is version {future}, newer than this LiveHost knows ({PostgresSchema.LatestVersion})", refused.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Two_servers_appending_to_one_database_write_one_unbroken_audit_chain()
    {
        var connectionString = postgres.Server.ConnectionString(await postgres.Server.CreateDatabaseAsync());
        using var a = PostgresDatabase.FromConnectionString(connectionString);
        using var b = PostgresDatabase.FromConnectionString(connectionString);
        PostgresSchema.Migrate(a);
        var logs = new[] { new PostgresAuditLog(a, NullLogger<PostgresAuditLog>.Instance), new PostgresAuditLog(b, NullLogger<PostgresAuditLog>.Instance) };

        var appends = logs.Select((log, n) => Task.Run(() => Enumerable.Range(0, 40)
            .Select(i => log.Append(new AuditRecord(DateTimeOffset.UnixEpoch.AddSeconds(i), $"server {n}", "admin", "main", "Skip", "{}", "ok"))!.Seq)
            .ToList())).ToArray();
        var seqs = (await Task.WhenAll(appends)).SelectMany(s => s).Order().ToArray();

        Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), seqs);
        var verified = logs[1].Verify();
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(80, verified.Entries);
    }

    private static int[] Versions(PostgresDatabase database) => database.Run(c =>
    {
        using var command = new NpgsqlCommand("SELECT version FROM schema_version ORDER BY version", c);
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read()) versions.Add(reader.GetInt32(0));
        return versions.ToArray();
    });
}

/// <summary>No server needed: nothing listens where the connection string points.</summary>
public sealed class PostgresStartTests
{
    [Fact]
    public void A_database_nobody_answers_at_stops_the_start_with_one_line_naming_it_and_what_to_do_never_the_password()
    {
        var port = LiveHost.TestSupport.FreePort.GetLoopbackTcpPort();
        using var database = PostgresDatabase.FromConnectionString($"Host=127.0.0.1;Port={port};Database=shop;Username=u;Password=s3cret-pw;Timeout=3");

        var refused = Assert.Throws<StorageUnusableException>(() => PostgresSchema.Migrate(database));

        Assert.StartsWith($"storage: PostgreSQL at 127.0.0.1:{port}/shop cannot be used (", refused.Message, StringComparison.Ordinal);
        Assert.Contains("start PostgreSQL, check Storage:ConnectionString", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Theory]
    [InlineData("Host=db;Database=x", null)]
    [InlineData("Database=x;Username=u", "it names no Host")]
    [InlineData("Host=db;Bogus Key=1;Password=s3cret-pw", "Npgsql cannot read it")]
    public void A_connection_string_is_checked_before_start_without_echoing_its_password(string connectionString, string? problem)
    {
        var found = PostgresDatabase.ConnectionStringProblem(connectionString);

        if (problem is null) Assert.Null(found);
        else Assert.StartsWith(problem, found, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", found ?? "", StringComparison.Ordinal);
    }
}
