using LiveHost.TestSupport;

namespace LiveHost.Storage.Tests;

/// <summary>One PostgreSQL server for every class of the collection; each test makes its own database on it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException(PostgresServer.MissingReason ?? "the server did not start");

    public async Task InitializeAsync()
    {
        // Absent binaries: every test of the collection is reported skipped with the reason (StoreFactDiscoverer).
        if (PostgresServer.MissingReason is null) _server = await PostgresServer.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
