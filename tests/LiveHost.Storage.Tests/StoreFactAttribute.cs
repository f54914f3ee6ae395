using LiveHost.TestSupport;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace LiveHost.Storage.Tests;

/// <summary>
/// A fact of the store contract: run for every provider subclass, and reported as skipped, with the reason, in a class
/// marked <see cref="UsesPostgresAttribute"/> when PostgreSQL's binaries are absent (install-deps.sh --test installs them,
/// so CI runs them).
/// </summary>
[XunitTestCaseDiscoverer("LiveHost.Storage.Tests.StoreFactDiscoverer", "LiveHost.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>The test class runs against a PostgreSQL server the tests start.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UsesPostgresAttribute : Attribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (PostgresServer.MissingReason is { } reason && testMethod.TestClass.Class.GetCustomAttributes(typeof(UsesPostgresAttribute)).Any())
        {
            return [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }
        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
