using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using Npgsql;

namespace LiveHost.Storage.Postgres;

/// <summary>
/// The server's one <see cref="NpgsqlDataSource"/> (a connection pool), made by the composition root from
/// <c>Storage:ConnectionString</c> and shared by every PostgreSQL store. <see cref="Run{T}"/> borrows a pooled connection
/// for one piece of work and turns a database it cannot reach into <see cref="StorageFailedException"/>, which the
/// storage journal holds and retries; <see cref="RunCommand{T}"/> makes it a <c>storageFailed</c> refusal (503) for
/// the library stores the control plane calls directly. No store holds a connection between calls, and nothing here
/// runs on a room's tick.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly bool _owned;

    /// <param name="owned">Whether disposing this disposes the data source (true when this made it).</param>
    public PostgresDatabase(NpgsqlDataSource source, bool owned = false)
    {
        _source = source;
        _owned = owned;
    }

    /// <summary>Makes the data source from a connection string (bad syntax: <see cref="ArgumentException"/>).</summary>
    public static PostgresDatabase FromConnectionString(string connectionString) => new(NpgsqlDataSource.Create(connectionString), owned: true);

    /// <summary>What is wrong with a connection string (never echoing its password), or null when Npgsql takes it.</summary>
    public static string? ConnectionStringProblem(string? connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "it names no Host (Host=...;Database=...;Username=...;Password=...)" : null;
        }
        catch (ArgumentException ex)
        {
            return $"Npgsql cannot read it ({ex.Message.TrimEnd('.')})";
        }
    }

    /// <summary>host:port/database, never the password: for messages.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(_source.ConnectionString);
        return $"PostgreSQL at {builder.Host}:{builder.Port}/{builder.Database}";
    }

    public T Run<T>(Func<NpgsqlConnection, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            using var connection = _source.OpenConnection();
            return work(connection);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            // Idle pooled connections to a server that went away are broken too: drop them, so the first calls after it
            // comes back do not fail on them.
            _source.Clear();
            throw new StorageFailedException($"{Describe()} cannot be used ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    /// <summary>Like <see cref="Run{T}"/>, for calls a command makes directly: a failing database refuses it (<c>storageFailed</c>, 503).</summary>
    public T RunCommand<T>(Func<NpgsqlConnection, T> work)
    {
        try
        {
            return Run(work);
        }
        catch (StorageFailedException ex)
        {
            throw new CommandRejectedException(RejectionCode.StorageFailed, $"storage is failing: {ex.Message}; try again when it is back");
        }
    }

    /// <summary>
    /// Whether an exception means "the database cannot be used now" (down, unreachable, out of connections, read-only,
    /// timed out) rather than a bug in a statement. Every Npgsql error counts: the stores' statements are fixed, so a
    /// server error is the server's state (shutting down, a standby, a full disk), never the caller's input.
    /// </summary>
    public static bool IsUnavailable(Exception ex) => ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException;

    public void Dispose()
    {
        if (_owned) _source.Dispose();
    }
}
