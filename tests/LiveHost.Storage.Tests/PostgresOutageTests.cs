using LiveHost.ControlPlane;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using LiveHost.TestSupport;

namespace LiveHost.Storage.Tests;

/// <summary>
/// PostgreSQL going away and coming back under the stores (a server of this class's own, so stopping it disturbs no
/// other test): writes fail in the ways their callers handle, nothing half-written is left, and the same store objects
/// work again once the server is back, with no restart.
/// </summary>
[UsesPostgres]
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private PostgresServer _server = null!;
    private PostgresStoreProvider _store = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartNewAsync();
        _store = await PostgresStoreProvider.CreateAsync(_server);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _server.DisposeAsync();
    }

    [StoreFact]
    public async Task While_the_server_is_down_writes_fail_as_storage_failures_and_the_same_stores_work_again_once_it_is_back()
    {
        var before = StoreContractLine("before");
        _store.Lines.Insert(before, 1);
        _store.Audit.Append(new AuditRecord(DateTimeOffset.UnixEpoch, "k", "admin", "main", "EnqueueLine", "{}", "ok"));

        await _server.StopAsync();

        var during = StoreContractLine("during");
        var lineFailure = Assert.Throws<StorageFailedException>(() => _store.Lines.Insert(during, 2));
        Assert.Contains($"PostgreSQL at 127.0.0.1:{_server.Port}/", lineFailure.Message, StringComparison.Ordinal);
        Assert.Throws<StorageFailedException>(() => _store.Lines.CheckWritable());
        var refusal = Assert.Throws<CommandRejectedException>(() => _store.Products.Save(new Product("p1", "mug", 1m, "EUR")));
        Assert.Equal(RejectionCode.StorageFailed, refusal.Code);
        Assert.StartsWith("storage is failing: PostgreSQL at", refusal.Message, StringComparison.Ordinal);
        // The audit entry is held, and commands are refused until it is written.
        Assert.Null(_store.Audit.Append(new AuditRecord(DateTimeOffset.UnixEpoch.AddSeconds(1), "k", "admin", "main", "Skip", "{}", "ok")));
        Assert.Equal(RejectionCode.StorageFailed, Assert.Throws<CommandRejectedException>(() => _store.Audit.EnsureWritable()).Code);

        await _server.StartAsync();

        _store.Audit.EnsureWritable();
        _store.Lines.CheckWritable();
        _store.Lines.Insert(during, 2);
        _store.Products.Save(new Product("p1", "mug", 1m, "EUR", [], false, DateTimeOffset.UnixEpoch));
        Assert.Equal([before.Id, during.Id], _store.Lines.LoadUnfinished("main").Select(l => l.Id));
        Assert.Equal("p1", Assert.Single(_store.Products.List()).Id);
        var verified = _store.Audit.Verify();
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(2, verified.Entries);
    }

    private static LiveHost.Engine.Lines.Line StoreContractLine(string text) => new(Guid.NewGuid().ToString("N"), "main", text, "en",
        LiveHost.Engine.Lines.LineStatus.Queued, null, DateTimeOffset.UnixEpoch, null, null);
}
