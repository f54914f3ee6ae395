using LiveHost.Storage.Postgres;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LiveHost.Storage.Tests;

/// <summary>The PostgreSQL stores over a fresh database of the shared test server, migrated as the host does at start.</summary>
public sealed class PostgresStoreProvider : StoreProvider
{
    private readonly string _connectionString;
    private PostgresDatabase? _database;

    private PostgresStoreProvider(string connectionString)
    {
        _connectionString = connectionString;
        Reopen();
    }

    public static async Task<PostgresStoreProvider> CreateAsync(PostgresServer server) =>
        new(server.ConnectionString(await server.CreateDatabaseAsync()));

    public PostgresDatabase Database => _database!;

    public override void Reopen()
    {
        _database?.Dispose();
        _database = PostgresDatabase.FromConnectionString(_connectionString);
        PostgresSchema.Migrate(_database);
        var lines = new PostgresLineStore(_database);
        var show = new PostgresShowStore(_database);
        (Lines, RoomStates, Scripts, Products, RoomScripts) = (lines, lines, show, show, show);
        Terms = new PostgresModerationTermStore(_database);
        Faq = new PostgresFaqStore(_database);
        Audit = new PostgresAuditLog(_database, NullLogger<PostgresAuditLog>.Instance);
    }

    public override int Execute(string sql) => _database!.Run(connection =>
    {
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteNonQuery();
    });

    public override ValueTask DisposeAsync()
    {
        _database?.Dispose();
        return ValueTask.CompletedTask;
    }
}
