using LiveHost.ControlPlane;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Show;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Storage.Tests;

/// <summary>The SQLite stores over a temp data folder: livehost.db (lines, rooms, scripts, products, audit), moderation.db, faq.db.</summary>
public sealed class SqliteStoreProvider : StoreProvider
{
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-store-").FullName;
    private SqliteLineStore? _database;

    public SqliteStoreProvider() => Reopen();

    public override void Reopen()
    {
        _database?.Dispose();
        _database = new SqliteLineStore(Path.Combine(_folder, "livehost.db"));
        var show = new SqliteShowStore(_database);
        (Lines, RoomStates, Scripts, Products, RoomScripts) = (_database, _database, show, show, show);
        Terms = new SqliteModerationTermStore(Path.Combine(_folder, "moderation.db"));
        Faq = new SqliteFaqStore(Path.Combine(_folder, "faq.db"));
        Audit = new SqliteAuditLog(_database, NullLogger<SqliteAuditLog>.Instance);
    }

    public override int Execute(string sql) => _database!.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    });

    public override ValueTask DisposeAsync()
    {
        _database?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
