using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Tests.Doubles;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Engine.Tests;

/// <summary>Storage that failed under a line's insert reads healthy again by itself once it works, with nothing else to write.</summary>
public sealed class StorageJournalRecoveryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-journal-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_failed_insert_with_nothing_else_queued_is_followed_by_probes_until_storage_works_again()
    {
        using var inner = new SqliteLineStore(Path.Combine(_folder, "livehost.db"));
        var store = new FaultyStore(inner) { Failing = true };
        await using var journal = new StorageJournal(store, store, new JournalOptions { RetryInterval = TimeSpan.FromMilliseconds(20) },
            TimeProvider.System, NullLogger<StorageJournal>.Instance);
        var line = new Line(Guid.NewGuid().ToString("N"), "main", "refused", "en", LineStatus.Queued, null, DateTimeOffset.UnixEpoch, null, null);

        await Assert.ThrowsAsync<StorageFailedException>(() => journal.InsertAsync(line, 1));
        Assert.True(journal.Status.Failing);

        var healthy = new TaskCompletionSource<StorageStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        journal.StatusChanged += status => { if (!status.Failing) healthy.TrySetResult(status); };
        store.Failing = false;

        Assert.False((await healthy.Task.WaitAsync(TimeSpan.FromSeconds(30))).Failing);
        Assert.False(journal.Status.Failing);
    }
}
