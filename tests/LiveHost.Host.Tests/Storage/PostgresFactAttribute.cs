using LiveHost.TestSupport;

namespace LiveHost.Host.Tests.Storage;

/// <summary>A fact that needs PostgreSQL's binaries: skipped, saying so, only when they are absent (install-deps.sh --test installs them).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.MissingReason is { } reason) Skip = reason;
    }
}
