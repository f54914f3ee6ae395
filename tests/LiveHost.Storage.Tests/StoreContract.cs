using LiveHost.Engine.Lines;

namespace LiveHost.Storage.Tests;

/// <summary>
/// The stores' contract, run on every provider: <see cref="SqliteStoreContractTests"/> and
/// <see cref="PostgresStoreContractTests"/> differ only in <see cref="OpenAsync"/>. Each test gets empty stores over a
/// database of its own; what must outlive a restart is checked after <see cref="StoreProvider.Reopen"/>.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 3, 20, 0, 0, 123, TimeSpan.FromHours(8));

    protected StoreProvider Store { get; private set; } = null!;

    protected abstract Task<StoreProvider> OpenAsync();

    public async Task InitializeAsync() => Store = await OpenAsync();

    public async Task DisposeAsync()
    {
        if (Store is not null) await Store.DisposeAsync();
    }

    protected static Line NewLine(string room, string text, int second = 0, DateTimeOffset? at = null, LineKind kind = LineKind.Text) =>
        new(Guid.NewGuid().ToString("N"), room, text, "en", LineStatus.Queued, null, T0.AddSeconds(second), null, null, Kind: kind, At: at);
}

public sealed class SqliteStoreContractTests : StoreContract
{
    protected override Task<StoreProvider> OpenAsync() => Task.FromResult<StoreProvider>(new SqliteStoreProvider());
}

[UsesPostgres]
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContractTests(PostgresFixture postgres) : StoreContract
{
    protected override async Task<StoreProvider> OpenAsync() => await PostgresStoreProvider.CreateAsync(postgres.Server);
}
