namespace LiveHost.Host.Tests.Cluster;

/// <summary>A fact that needs PostgreSQL and redis-server: skipped, saying so, only when one is absent (install-deps.sh --test installs both).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        if (TestCluster.MissingReason is { } reason) Skip = reason;
    }
}
