using LiveHost.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.ControlPlane.Tests;

/// <summary>
/// A real <c>livehost.db</c> in a temp folder, opened by the real <see cref="SqliteLineStore"/> (exclusive locking, as in
/// the host), with a switch that makes its connection fail like a broken disk. Tampering happens with the store closed,
/// through a plain SQLite connection, as someone editing the file would.
/// </summary>
public sealed class AuditDatabase : ISqliteDatabase, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-audit-").FullName;
    private SqliteLineStore _store;

    public AuditDatabase() => _store = new SqliteLineStore(Path);

    public string Path => System.IO.Path.Combine(_folder, "livehost.db");

    /// <summary>While set, every use of the connection throws an <see cref="SqliteException"/> (disk I/O error).</summary>
    public bool Failing { get; set; }

    public T Run<T>(Func<SqliteConnection, T> work)
    {
        if (Failing) throw new SqliteException("disk I/O error", 10);
        return _store.Run(work);
    }

    public SqliteAuditLog OpenLog() => new(this, NullLogger<SqliteAuditLog>.Instance);

    /// <summary>Registers this database and a <see cref="SqliteAuditLog"/> over it, as the host's StorageStartup does.</summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<ISqliteDatabase>(this);
        services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog(sp.GetRequiredService<ISqliteDatabase>(), NullLogger<SqliteAuditLog>.Instance));
    }

    /// <summary>Closes the store, runs <paramref name="sql"/> on the file directly, and opens the store again.</summary>
    public void Tamper(string sql)
    {
        _store.Dispose();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        _store = new SqliteLineStore(Path);
    }

    public void Dispose()
    {
        _store.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
