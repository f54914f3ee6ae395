using LiveHost.Engine.Options;
using LiveHost.ControlPlane;
using LiveHost.Engine.Persistence;

namespace LiveHost.Host.Rooms;

/// <summary>
/// Registers the database (<c>{data}/livehost.db</c>), its stores and the <see cref="StorageJournal"/> that makes every
/// write, and opens them at start so an unusable database stops the start with one clear line (exit code
/// <see cref="StorageUnusableException.ExitCode"/>) instead of failing later, room by room.
/// </summary>
public static partial class StorageStartup
{
    public const string DatabaseFile = "livehost.db";

    public static IServiceCollection AddLiveHostStorage(this IServiceCollection services, string dataDirectory, JournalOptions options)
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
        // The audit log is a table in the same file, through the same (exclusively locked) connection.
        services.AddSingleton<ISqliteDatabase>(sp => sp.GetRequiredService<SqliteLineStore>());
        services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog(sp.GetRequiredService<ISqliteDatabase>(), sp.GetRequiredService<ILogger<SqliteAuditLog>>()));
        services.AddSingleton(sp => new StorageJournal(sp.GetRequiredService<ILineStore>(), sp.GetRequiredService<IRoomStateStore>(), options,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StorageJournal>>()));
        return services;
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
            services.GetRequiredService<IAuditLog>();
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
}
