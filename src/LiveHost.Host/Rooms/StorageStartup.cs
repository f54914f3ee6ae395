using LiveHost.Engine.Options;
using LiveHost.ControlPlane;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Show;
using LiveHost.Storage.Postgres;
using Npgsql;

namespace LiveHost.Host.Rooms;

/// <summary>
/// Registers the stores of <c>Storage:Provider</c> and the <see cref="StorageJournal"/> that makes every line write, and
/// opens them at start so an unusable database stops the start with one clear line (exit code
/// <see cref="StorageUnusableException.ExitCode"/>) instead of failing later, room by room.
/// <list type="bullet">
/// <item><c>sqlite</c> (default): lines, rooms, scripts, products and the audit log in <c>{data}/livehost.db</c> (one
/// exclusively locked connection), the term lists in <c>{data}/moderation.db</c>, FAQ entries in <c>{data}/faq.db</c>
/// (the control plane's default store).</item>
/// <item><c>postgres</c>: all of them in the database of <c>Storage:ConnectionString</c>, through one
/// <see cref="NpgsqlDataSource"/> (a pool) made here; <see cref="PostgresSchema"/>'s migrations are applied first.</item>
/// </list>
/// </summary>
public static partial class StorageStartup
{
    public const string DatabaseFile = "livehost.db";

    public static IServiceCollection AddLiveHostStorage(this IServiceCollection services, string dataDirectory, JournalOptions options)
    {
        if (options.UsesPostgres) AddPostgres(services, options.ConnectionString!);
        else AddSqlite(services, dataDirectory, options);
        services.AddSingleton(sp => new StorageJournal(sp.GetRequiredService<ILineStore>(), sp.GetRequiredService<IRoomStateStore>(), options,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StorageJournal>>()));
        return services;
    }

    private static void AddSqlite(IServiceCollection services, string dataDirectory, JournalOptions options)
    {
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageStartup));
            var path = Path.Combine(dataDirectory, DatabaseFile);
            return new SqliteLineStore(path, options.MoveAsideCorruptDatabase, aside => LogMovedAside(logger, Path.GetFullPath(path), aside),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ILineStore>(sp => sp.GetRequiredService<SqliteLineStore>());
        services.AddSingleton<IRoomStateStore>(sp => sp.GetRequiredService<SqliteLineStore>());
        // The audit log, scripts and products are tables in the same file, through the same (exclusively locked) connection.
        services.AddSingleton<ISqliteDatabase>(sp => sp.GetRequiredService<SqliteLineStore>());
        services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog(sp.GetRequiredService<ISqliteDatabase>(), sp.GetRequiredService<ILogger<SqliteAuditLog>>()));
        services.AddSingleton(sp => new SqliteShowStore(sp.GetRequiredService<ISqliteDatabase>()));
        AddShowStores<SqliteShowStore>(services);
        // Moderation before air (issue 11): its own file, since livehost.db is held exclusively.
        services.AddSingleton<IModerationTermStore>(_ => new SqliteModerationTermStore(Path.Combine(dataDirectory, "moderation.db")));
    }

    private static void AddPostgres(IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton(sp =>
        {
            var database = new PostgresDatabase(sp.GetRequiredService<NpgsqlDataSource>());
            var applied = PostgresSchema.Migrate(database);
            LogMigrated(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageStartup)), database.Describe(),
                applied.Count == 0 ? "none" : string.Join(", ", applied), PostgresSchema.LatestVersion);
            return database;
        });
        // With several nodes (Cluster:Redis) every write for a room is fenced by the lease this node holds on it.
        services.AddSingleton(sp => new PostgresLineStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<IRoomFence>()));
        services.AddSingleton<ILineStore>(sp => sp.GetRequiredService<PostgresLineStore>());
        services.AddSingleton<IRoomStateStore>(sp => sp.GetRequiredService<PostgresLineStore>());
        services.AddSingleton<IAuditLog>(sp => new PostgresAuditLog(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<ILogger<PostgresAuditLog>>()));
        services.AddSingleton(sp => new PostgresShowStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<IRoomFence>()));
        AddShowStores<PostgresShowStore>(services);
        services.AddSingleton<IModerationTermStore>(sp => new PostgresModerationTermStore(sp.GetRequiredService<PostgresDatabase>()));
        // Registered before the control plane, whose default is faq.db.
        services.AddSingleton<IFaqStore>(sp => new PostgresFaqStore(sp.GetRequiredService<PostgresDatabase>()));
    }

    private static void AddShowStores<TStore>(IServiceCollection services) where TStore : class, IScriptStore, IProductStore, IRoomScriptStore
    {
        services.AddSingleton<IScriptStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IProductStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IRoomScriptStore>(sp => sp.GetRequiredService<TStore>());
    }

    /// <summary>
    /// Opens storage now. When it cannot be used, prints its one-line reason to stderr, sets the process exit code to
    /// <see cref="StorageUnusableException.ExitCode"/> and returns false: the caller ends without starting.
    /// </summary>
    public static bool TryOpenStorage(this IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<StorageJournal>();
            services.GetService<IAuditLog>();
            return true;
        }
        catch (StorageUnusableException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Environment.ExitCode = StorageUnusableException.ExitCode;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage: {Path} was corrupt; moved it aside to {Aside} and started with an empty database (Storage:MoveAsideCorruptDatabase=true)")]
    private static partial void LogMovedAside(ILogger logger, string path, string aside);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: {Database}, schema migrations applied now: {Applied} (schema version {Version})")]
    private static partial void LogMigrated(ILogger logger, string database, string applied, int version);
}
