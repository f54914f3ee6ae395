using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Engine.Tests;

/// <summary>Opening the database at start: a corrupt or unusable file stops the start with one clear line, or is moved aside.</summary>
public sealed class SqliteStoreStartTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_file_that_is_not_a_database_stops_the_open_with_one_line_naming_it_and_what_to_do()
    {
        File.WriteAllText(_db.Path, new string('x', 8192));

        var error = Assert.Throws<StorageUnusableException>(() => new SqliteLineStore(_db.Path));

        Assert.Contains(_db.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:MoveAsideCorruptDatabase=true", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(3, StorageUnusableException.ExitCode);
    }

    [Fact]
    public void A_database_with_a_damaged_page_is_found_corrupt_at_open()
    {
        using (var store = new SqliteLineStore(_db.Path))
        {
            for (var i = 0; i < 200; i++) store.Insert(Line(i, new string('a', 500)), i);
        }
        // Overwrite the middle of the file (table and index pages) with garbage, leaving the header intact.
        using (var file = new FileStream(_db.Path, FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length / 2;
            file.Write(Enumerable.Repeat((byte)0xA5, 4096 * 4).ToArray());
        }

        var error = Assert.Throws<StorageUnusableException>(() => new SqliteLineStore(_db.Path));
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_move_aside_a_corrupt_file_is_renamed_with_a_timestamp_and_an_empty_database_starts()
    {
        var garbage = new byte[8192];
        Random.Shared.NextBytes(garbage);
        File.WriteAllBytes(_db.Path, garbage);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 14, 5, 6, TimeSpan.Zero));
        string? told = null;

        using (var store = new SqliteLineStore(_db.Path, moveAsideCorrupt: true, movedAside: a => told = a, time: time))
        {
            Assert.Empty(store.LoadUnfinished("main"));
            store.Insert(Line(1, "works"), 1);
            Assert.Single(store.LoadUnfinished("main"));
        }

        var aside = _db.Path + ".corrupt-20261203T140506Z";
        Assert.Equal(aside, told);
        Assert.Equal(garbage, File.ReadAllBytes(aside));
    }

    [Fact]
    public void A_data_directory_that_cannot_be_created_stops_the_open_with_one_line()
    {
        // A regular file where the folder should be: refused even to root, unlike a chmod.
        var blocker = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(_db.Path)!, "not-a-folder");
        File.WriteAllText(blocker, "");
        var path = System.IO.Path.Combine(blocker, "data", "livehost.db");

        var error = Assert.Throws<StorageUnusableException>(() => new SqliteLineStore(path));

        Assert.Contains($"cannot open {path} for writing", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:DataDirectory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_second_store_on_the_same_file_is_refused_while_the_first_holds_it()
    {
        using var first = new SqliteLineStore(_db.Path);

        var error = Assert.Throws<StorageUnusableException>(() => new SqliteLineStore(_db.Path));

        Assert.Contains("another process", error.Message, StringComparison.Ordinal);
    }

    private static Line Line(int i, string text) =>
        new($"line{i:D4}", "main", text, "en", LineStatus.Queued, null, DateTimeOffset.UnixEpoch, null, null);
}
