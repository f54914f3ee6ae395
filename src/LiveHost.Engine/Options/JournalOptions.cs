namespace LiveHost.Engine.Options;

/// <summary>
/// How state reaches the disk, bound from <c>Storage</c> (next to <c>Storage:DataDirectory</c>, which the host reads).
/// </summary>
public sealed class JournalOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// When <c>livehost.db</c> is corrupt (or not a database) at start: false (default) stops the start with exit code
    /// <see cref="Persistence.StorageUnusableException.ExitCode"/>; true renames it (and its -wal/-shm files) to
    /// <c>livehost.db.corrupt-{UTC timestamp}</c> and starts with an empty database, logging it.
    /// </summary>
    public bool MoveAsideCorruptDatabase { get; set; }

    /// <summary>While storage fails, how often the journal writer tries again (held writes first, then a probe).</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Writes that may wait for the writer. Engine-side writes never wait for room; past this they are logged and dropped.</summary>
    public int Capacity { get; set; } = 4096;

    /// <summary>
    /// Where lines, scripts, products, FAQ, moderation lists and the audit log live: <c>sqlite</c> (default: files under
    /// <c>Storage:DataDirectory</c>) or <c>postgres</c> (the database of <see cref="ConnectionString"/>; schema migrations
    /// applied at start).
    /// </summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>With <c>Provider=postgres</c>: an Npgsql connection string (<c>Host=...;Port=...;Database=...;Username=...;Password=...</c>).</summary>
    public string? ConnectionString { get; set; }

    public const string SqliteProvider = "sqlite";
    public const string PostgresProvider = "postgres";

    public bool UsesPostgres => string.Equals(Provider?.Trim(), PostgresProvider, StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!UsesPostgres && !string.Equals(Provider?.Trim(), SqliteProvider, StringComparison.OrdinalIgnoreCase))
            errors.Add($"Storage:Provider must be \"sqlite\" or \"postgres\" (was \"{Provider}\").");
        if (UsesPostgres && string.IsNullOrWhiteSpace(ConnectionString))
            errors.Add("Storage:ConnectionString must be set when Storage:Provider is \"postgres\" (Host=...;Database=...;Username=...;Password=...).");
        if (RetryInterval < TimeSpan.FromMilliseconds(10) || RetryInterval > TimeSpan.FromMinutes(5))
            errors.Add($"Storage:RetryInterval must be 00:00:00.010 to 00:05:00 (was {RetryInterval}).");
        if (Capacity is < 16 or > 1_000_000) errors.Add($"Storage:Capacity must be 16 to 1000000 (was {Capacity}).");
        return errors;
    }
}
