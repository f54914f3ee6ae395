namespace LiveHost.Engine.Persistence;

/// <summary>
/// The database cannot be used at start (corrupt, unreadable, or its folder cannot be written). The message is one line
/// that names the file and says what to do; the host prints it and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class StorageUnusableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code when storage stops the start (documented in CONTRACT-ADDITIONS.md).</summary>
    public const int ExitCode = 3;
}

/// <summary>A write the journal could not make. <see cref="Exception.Message"/> says what failed, for the caller.</summary>
public sealed class StorageFailedException(string message, Exception? inner = null) : Exception(message, inner);
